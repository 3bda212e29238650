package org.fogwerk.api.routes;

import java.util.Objects;

/**
 * One route, or one route file that holds no running route.
 *
 * @param routeId   the route id, {@code -} for a file without a running route
 * @param origin    where it comes from: the route file with its line ({@code etc/routes/a.xml:12})
 *                  or the bundle ({@code bundle:<symbolic name>})
 * @param state     {@code Started}, {@code Stopped}, ..., {@code Empty} for a file without routes,
 *                  or {@value #FAILED} for a file or bundle that does not load
 * @param exchanges exchanges completed
 * @param failures  exchanges that ended with an exception
 * @param overflow  values the route lost because it could not keep up
 * @param lastError the newest error: file, line and reason; empty when none
 */
public record RouteInfo(String routeId, String origin, String state, long exchanges, long failures, long overflow,
        String lastError) {

    /** The state of a route file or route bundle that does not load. */
    public static final String FAILED = "Failed";

    public RouteInfo {
        Objects.requireNonNull(origin, "origin");
        routeId = routeId == null ? "-" : routeId;
        state = state == null ? "" : state;
        lastError = lastError == null ? "" : lastError;
    }

    /** Whether it is a file or bundle that does not load. */
    public boolean failed() {
        return FAILED.equalsIgnoreCase(state);
    }
}
