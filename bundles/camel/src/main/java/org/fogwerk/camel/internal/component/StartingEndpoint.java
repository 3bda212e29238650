package org.fogwerk.camel.internal.component;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A {@code fogwerk:} endpoint that starts routes ({@code from}) and nothing else. */
abstract class StartingEndpoint extends DefaultEndpoint {

    final FogwerkServices services;

    StartingEndpoint(String uri, FogwerkComponent component, FogwerkServices services) {
        super(uri, component);
        this.services = services;
    }

    /** The consumer of a route starting from this endpoint, not yet configured. */
    abstract Consumer consumer(Processor processor);

    @Override
    public final Producer createProducer() {
        throw new UnsupportedOperationException(getEndpointUri() + " can only start a route (use it in from)");
    }

    @Override
    public final Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = consumer(processor);
        configureConsumer(consumer);
        return consumer;
    }
}
