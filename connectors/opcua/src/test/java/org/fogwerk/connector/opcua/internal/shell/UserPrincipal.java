package org.fogwerk.connector.opcua.internal.shell;

import java.security.Principal;

/** Stands for Karaf's principal of the same simple name. */
record UserPrincipal(String getName) implements Principal {
}
