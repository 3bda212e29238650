package org.fogwerk.camel.internal.edge;

import org.apache.camel.Exchange;

/**
 * {@code fogwerk:edge/filter?deadband=..}: the per-value filters of {@link EdgeFilters} as a
 * route step. A value that does not pass ends its exchange's way through the route.
 */
record FilterStep(TagFilter filter) implements StepEndpoint.Step {

    @Override
    public void process(Exchange exchange, String uri) {
        if (!filter.accept(TagValues.body(exchange, uri))) {
            exchange.setRouteStop(true);
        }
    }
}
