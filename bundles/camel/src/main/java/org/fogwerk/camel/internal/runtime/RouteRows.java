package org.fogwerk.camel.internal.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.fogwerk.camel.internal.component.PushConsumer;
import org.fogwerk.camel.internal.edge.DroppedResults;

/** Builds the rows of {@code fogwerk:route-list} from the context, the route files and the route bundles. */
final class RouteRows {

    /** Routes one bundle added. */
    record Origin(String name, List<String> routeIds, String error) {
    }

    private RouteRows() {
    }

    static List<RouteCatalog.Row> of(CamelContext context, RouteFiles routeFiles, List<Origin> bundles,
            RouteStats stats) {
        List<RouteFiles.FileState> files = routeFiles.files();
        List<RouteCatalog.Row> rows = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (RouteFiles.FileState f : files) {
            List<String> ids = f.routeIds;
            if (ids.isEmpty()) {
                rows.add(new RouteCatalog.Row("-", routeFiles.name(f.path), f.error.isEmpty() ? "Empty" : "Failed", 0, 0,
                        0, f.error));
            }
            for (String id : ids) {
                Integer line = f.routeLines.get(id);
                rows.add(row(context, id, routeFiles.name(f.path) + (line == null || line < 0 ? "" : ":" + line), stats,
                        f.error.isEmpty() ? "" : "new version not loaded: " + f.error));
                listed.add(id);
            }
        }
        for (Origin b : bundles) {
            if (b.routeIds().isEmpty() && !b.error().isEmpty()) {
                rows.add(new RouteCatalog.Row("-", b.name(), "Failed", 0, 0, 0, b.error()));
            }
            for (String id : b.routeIds()) {
                rows.add(row(context, id, b.name(), stats, b.error()));
                listed.add(id);
            }
        }
        List<Route> others = new ArrayList<>(context.getRoutes());
        others.sort(Comparator.comparing(Route::getRouteId));
        for (Route r : others) {
            if (!listed.contains(r.getRouteId())) {
                rows.add(row(context, r.getRouteId(), "context", stats, ""));
            }
        }
        // results of an edge step that no route reads are lost: a row of their own, with the count
        List<Endpoint> endpoints = new ArrayList<>(context.getEndpoints());
        endpoints.sort(Comparator.comparing(Endpoint::getEndpointUri));
        for (Endpoint e : endpoints) {
            long lost = e instanceof DroppedResults ? ((DroppedResults) e).dropped() : 0;
            if (lost > 0) {
                rows.add(new RouteCatalog.Row("-", e.getEndpointUri(), "No reader", 0, 0, lost, "no route reads its"
                        + " results (a route from the same URI): " + lost + " lost"));
            }
        }
        return rows;
    }

    private static RouteCatalog.Row row(CamelContext context, String id, String origin, RouteStats stats,
            String loadError) {
        RouteStats.Counters c = stats.of(id);
        ServiceStatus status = context.getRouteController().getRouteStatus(id);
        Route route = context.getRoute(id);
        long overflow = c.overflowBefore.sum() + (route == null ? 0 : overflow(route.getConsumer()));
        String error = !loadError.isEmpty() ? loadError : c.lastError;
        return new RouteCatalog.Row(id, origin, status == null ? "Stopped" : status.name(), c.exchanges.sum(),
                c.failures.sum(), overflow, error);
    }

    static long overflow(Consumer consumer) {
        return consumer instanceof PushConsumer ? ((PushConsumer<?>) consumer).overflowCount() : 0;
    }
}
