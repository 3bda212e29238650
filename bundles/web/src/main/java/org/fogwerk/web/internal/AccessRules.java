package org.fogwerk.web.internal;

import org.fogwerk.api.authority.Roles;

/**
 * Which role a request needs, by path and method, the same roles as the shell: reading needs
 * {@code viewer}; writing to machines, setting desired state, deleting shadows and flushing
 * uplinks need {@code operator}; the audit trail needs {@code admin}. {@code /health/*} and the
 * console's static files ({@code /}, {@code /console/*}) need nothing.
 */
final class AccessRules {

    private AccessRules() {
    }

    /** The role needed, or {@code null} when the path answers without authentication. */
    static String requiredRole(String method, String path) {
        if (path.equals("/health") || path.startsWith("/health/")) {
            return null;
        }
        if (path.equals("/") || path.equals("/index.html") || path.startsWith("/console/")) {
            // the console's page and scripts hold no data; it logs in through the API
            return safe(method) ? null : Roles.VIEWER;
        }
        if (path.equals("/api/v1/session")) {
            // logging in and out is open to every user of the node
            return Roles.VIEWER;
        }
        if (path.equals("/api/v1/audit") || path.startsWith("/api/v1/audit/")) {
            return Roles.ADMIN;
        }
        return safe(method) ? Roles.VIEWER : Roles.OPERATOR;
    }

    /** Methods that change nothing, and so need no CSRF token. */
    static boolean safe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }
}
