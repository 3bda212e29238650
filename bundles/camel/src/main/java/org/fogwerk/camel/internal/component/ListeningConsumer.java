package org.fogwerk.camel.internal.component;

import org.apache.camel.Endpoint;
import org.apache.camel.Processor;

/**
 * A consumer that listens to the node while its route runs: it puts itself on the node when the
 * route starts and takes itself off first thing when the route stops.
 */
abstract class ListeningConsumer<E extends Endpoint> extends PushConsumer<E> {

    private FogwerkServices.Registration registration;

    ListeningConsumer(E endpoint, Processor processor) {
        super(endpoint, processor);
    }

    /** Gets ready for what the node delivers and puts this consumer on the node as a listener. */
    abstract FogwerkServices.Registration listen() throws Exception;

    /** Lets go of what {@link #listen} set up, once the node delivers no more; nothing by default. */
    void stopListening() throws Exception {
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        registration = listen();
    }

    @Override
    protected void doStop() throws Exception {
        if (registration != null) {
            registration.close();
            registration = null;
        }
        stopListening();
        super.doStop();
    }
}
