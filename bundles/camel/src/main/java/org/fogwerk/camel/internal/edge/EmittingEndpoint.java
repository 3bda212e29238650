package org.fogwerk.camel.internal.edge;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.fogwerk.camel.internal.component.PushConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge endpoint that results leave on their own time: routes feed it with {@code to} and one
 * route reads its results with {@code from} the same URI. Results produced by a value are
 * processed in the feeding thread; results due by time (window ends, linger) in the endpoint's
 * scheduler thread. Results while no route reads are counted and dropped.
 */
abstract class EmittingEndpoint extends InlineEndpoint implements DroppedResults {

    private static final Logger LOG = LoggerFactory.getLogger(EmittingEndpoint.class);

    private final LongAdder dropped = new LongAdder();
    private volatile EmitConsumer consumer;
    private ScheduledExecutorService scheduler;

    EmittingEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** Takes one exchange of a feeding route, in that route's thread. */
    abstract void feed(Exchange exchange);

    @Override
    final void process(Exchange exchange) {
        feed(exchange);
    }

    @Override
    public org.apache.camel.Consumer createConsumer(Processor processor) throws Exception {
        EmitConsumer c = new EmitConsumer(this, processor);
        configureConsumer(c);
        return c;
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduler = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "FogwerkEdge");
        onStart();
    }

    @Override
    protected void doStop() throws Exception {
        if (scheduler != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        super.doStop();
    }

    /** Called once the scheduler exists. */
    void onStart() {
    }

    /** Called while the reading route stops, before it stops reading: the place to hand over what is pending. */
    void onConsumerStopping() {
    }

    /** Runs {@code task} once after {@code delayMillis}, unless the endpoint has stopped. */
    void schedule(Runnable task, long delayMillis) {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            s.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: {}", getEndpointUri(), e.toString(), e);
                }
            }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        }
    }

    /** Sends one result through the reading route in the calling thread. */
    void emit(Consumer<Exchange> fill) {
        EmitConsumer c = consumer;
        if (c == null) {
            dropped.increment();
            if (dropped.sum() == 1 && !getCamelContext().isStopping()) {
                LOG.warn("{}: no route reads its results (from the same URI as the to), results are dropped",
                        getEndpointUri());
            }
            return;
        }
        c.emit(fill);
    }

    private synchronized void attach(EmitConsumer c) {
        if (consumer != null && consumer != c) {
            throw new IllegalStateException(getEndpointUri() + " is already read by another route; one route reads it");
        }
        consumer = c;
    }

    private synchronized void detach(EmitConsumer c) {
        if (consumer == c) {
            consumer = null;
        }
    }

    /** The reading side: a route starting {@code from} this endpoint. */
    static final class EmitConsumer extends PushConsumer<EmittingEndpoint> {

        EmitConsumer(EmittingEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            endpoint.attach(this);
        }

        @Override
        protected void doStop() throws Exception {
            endpoint.onConsumerStopping();
            endpoint.detach(this);
            super.doStop();
        }

        void emit(Consumer<Exchange> fill) {
            push(fill, "Error processing a result of ", endpoint.getEndpointUri());
        }
    }
}
