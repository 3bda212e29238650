package org.fogwerk.camel.internal.edge;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;

/** An edge endpoint that works on each exchange in place: used with {@code to}, never with {@code from}. */
abstract class StepEndpoint extends InlineEndpoint {

    StepEndpoint(String uri, Component component) {
        super(uri, component);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " is a route step: use it with to, not from");
    }
}
