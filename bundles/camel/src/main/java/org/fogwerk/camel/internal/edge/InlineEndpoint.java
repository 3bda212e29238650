package org.fogwerk.camel.internal.edge;

import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/** An edge endpoint that routes use with {@code to}: each exchange is worked on in the route's own thread. */
abstract class InlineEndpoint extends DefaultEndpoint {

    InlineEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** Works on one exchange in the route's thread. */
    abstract void process(Exchange exchange);

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                InlineEndpoint.this.process(exchange);
            }
        };
    }
}
