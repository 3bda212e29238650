package org.fogwerk.api.authority;

import java.util.Set;

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
}
