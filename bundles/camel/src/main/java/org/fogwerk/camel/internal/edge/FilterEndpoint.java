package org.fogwerk.camel.internal.edge;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code fogwerk:edge/filter?deadband=..}: the per-value filters of {@link EdgeFilters} as a
 * route step. A value that does not pass ends its exchange's way through the route.
 */
final class FilterEndpoint extends DefaultEndpoint {

    private final TagFilter filter;

    FilterEndpoint(String uri, Component component, TagFilter filter) {
        super(uri, component);
        this.filter = filter;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                if (!filter.accept(TagValues.body(exchange, getEndpointUri()))) {
                    exchange.setRouteStop(true);
                }
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " is a route step: use it with to, not from");
    }
}
