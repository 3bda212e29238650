package org.fogwerk.camel.internal.edge;

import org.apache.camel.Component;
import org.apache.camel.Exchange;

/**
 * {@code fogwerk:edge/filter?deadband=..}: the per-value filters of {@link EdgeFilters} as a
 * route step. A value that does not pass ends its exchange's way through the route.
 */
final class FilterEndpoint extends StepEndpoint {

    private final TagFilter filter;

    FilterEndpoint(String uri, Component component, TagFilter filter) {
        super(uri, component);
        this.filter = filter;
    }

    @Override
    void process(Exchange exchange) {
        if (!filter.accept(TagValues.body(exchange, getEndpointUri()))) {
            exchange.setRouteStop(true);
        }
    }
}
