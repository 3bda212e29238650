package org.fogwerk.camel.internal.edge;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** An edge endpoint that works on each exchange in place: used with {@code to}, never with {@code from}. */
abstract class StepEndpoint extends DefaultEndpoint {

    StepEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** Works on one exchange in the route's thread. */
    abstract void process(Exchange exchange);

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                StepEndpoint.this.process(exchange);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " is a route step: use it with to, not from");
    }
}
