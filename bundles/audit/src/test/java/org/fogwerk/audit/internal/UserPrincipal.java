package org.fogwerk.audit.internal;

import java.security.Principal;

/** Stands for Karaf's principal of the same simple name, as the trail matches it. */
record UserPrincipal(String getName) implements Principal {
}
