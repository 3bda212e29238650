package org.fogwerk.camel.internal.component;

import java.util.function.Consumer;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * A consumer the node hands its values, deltas or results to, in the node's thread: each becomes
 * one exchange that runs through the route before the next; a failure goes to the route's
 * exception handler (and so to the route's counters and log) and never back to the node.
 */
public abstract class PushConsumer<E extends Endpoint> extends DefaultConsumer {

    /** The endpoint the route starts from, with its options. */
    protected final E endpoint;

    protected PushConsumer(E endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /**
     * Runs one exchange, filled by {@code fill}, through the route.
     *
     * @param failedOn with {@code subject}, what a failure is reported as ({@code "Route failed on " + value})
     */
    protected final void push(Consumer<Exchange> fill, String failedOn, Object subject) {
        Exchange exchange = createExchange(false);
        try {
            fill.accept(exchange);
        } catch (RuntimeException e) {
            getExceptionHandler().handleException(failedOn + subject, exchange, e);
            releaseExchange(exchange, false);
            return;
        }
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        // a failure in the route went through the route's error handler, which counted it and logged
        // it within the log's budget: logging it here again would break that budget
        releaseExchange(exchange, false);
    }

    /** Values this route lost because it could not keep up; 0 where nothing is queued for it. */
    public long overflowCount() {
        return 0;
    }
}
