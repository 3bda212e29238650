package org.fogwerk.camel.internal.edge;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** An edge endpoint that works on each exchange in place: used with {@code to}, never with {@code from}. */
final class StepEndpoint extends InlineEndpoint {

    /** The work of a route step on one exchange, in the route's thread. */
    interface Step {

        /** @param uri the step's endpoint URI, which messages about a body it cannot work on name */
        void process(Exchange exchange, String uri);
    }

    private final Step step;

    StepEndpoint(String uri, Component component, Step step) {
        super(uri, component);
        this.step = step;
    }

    @Override
    void process(Exchange exchange) {
        step.process(exchange, getEndpointUri());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " is a route step: use it with to, not from");
    }
}
