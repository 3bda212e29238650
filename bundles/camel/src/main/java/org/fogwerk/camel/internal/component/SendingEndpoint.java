package org.fogwerk.camel.internal.component;

import java.util.concurrent.CompletionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A {@code fogwerk:} endpoint used in {@code to} only: each exchange is handed to {@link #send},
 * which may complete it later, when the node has answered; a route cannot start from it.
 */
abstract class SendingEndpoint extends DefaultEndpoint {

    final FogwerkServices services;
    private final String notAConsumer;

    /** @param notAConsumer what to tell a route that starts from it, after the endpoint's URI */
    SendingEndpoint(String uri, FogwerkComponent component, FogwerkServices services, String notAConsumer) {
        super(uri, component);
        this.services = services;
        this.notAConsumer = notAConsumer;
    }

    /**
     * Sends one exchange.
     *
     * @return {@code true} when it completed in this thread, {@code false} when {@code callback} is called later
     */
    abstract boolean send(Exchange exchange, AsyncCallback callback);

    @Override
    public final Producer createProducer() {
        return new DefaultAsyncProducer(this) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return send(exchange, callback);
            }
        };
    }

    @Override
    public final Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + notAConsumer);
    }

    /** Fails the exchange in this thread; what {@link #send} returns then. */
    static boolean fail(Exchange exchange, AsyncCallback callback, FogwerkOperationException e) {
        exchange.setException(e);
        callback.done(true);
        return true;
    }

    /** What went wrong in the node, out of the future's wrapping. */
    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
