package org.fogwerk.api.authority;

import java.util.Set;
import java.util.TreeSet;

/**
 * The three roles of the node, each including the one before: {@value #VIEWER} reads,
 * {@value #OPERATOR} also writes to machines, calls methods, sets desired state and flushes
 * uplinks, {@value #ADMIN} also changes configuration, trust, simulators and bundles.
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";

    private Roles() {
    }

    /** Whether the roles include {@code needed} or a role above it. */
    public static boolean satisfies(Set<String> roles, String needed) {
        if (roles == null) {
            return false;
        }
        switch (needed) {
            case VIEWER:
                return roles.contains(VIEWER) || roles.contains(OPERATOR) || roles.contains(ADMIN);
            case OPERATOR:
                return roles.contains(OPERATOR) || roles.contains(ADMIN);
            case ADMIN:
                return roles.contains(ADMIN);
            default:
                return roles.contains(needed);
        }
    }

    /**
     * The one line that refuses a user without {@code needed} ("this needs the role operator; user
     * 'vera' has the roles viewer"), the same on every entry point; {@code null} when the roles satisfy it.
     */
    public static String refusal(Caller caller, String needed) {
        if (satisfies(caller.roles(), needed)) {
            return null;
        }
        return "this needs the role " + needed + "; user '" + caller.identity() + "' has "
                + (caller.roles().isEmpty() ? "no role" : "the roles " + String.join(", ", new TreeSet<>(caller.roles())));
    }
}
