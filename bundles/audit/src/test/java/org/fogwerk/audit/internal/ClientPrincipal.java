package org.fogwerk.audit.internal;

import java.security.Principal;

/** Stands for Karaf's principal of the same simple name: the SSH client's address. */
record ClientPrincipal(String getName) implements Principal {
}
