package org.fogwerk.camel.internal.runtime;

import java.util.List;

/** What {@code fogwerk:route-list} shows: every route of the Fogwerk Camel context and every route file. */
public interface RouteCatalog {

    List<Row> rows();

    /**
     * One route, or one route file that holds no running route.
     *
     * @param routeId    route id, {@code -} for a file without a running route
     * @param origin     the route file (path:line) or the bundle ({@code bundle:<symbolic name>})
     * @param state      Started, Stopped, ... or {@code Failed} for a file that does not load
     * @param exchanges  exchanges completed
     * @param failures   exchanges that ended with an exception
     * @param overflow   values the route lost because it could not keep up
     * @param lastError  the newest error: file, line and reason; empty when none
     */
    record Row(String routeId, String origin, String state, long exchanges, long failures, long overflow,
            String lastError) {
    }
}
