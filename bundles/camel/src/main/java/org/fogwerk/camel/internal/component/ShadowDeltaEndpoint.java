package org.fogwerk.camel.internal.component;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import org.apache.camel.Consumer;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.support.concurrent.DaemonThreads;

/**
 * {@code fogwerk:shadow-delta?thing=<glob>&shadow=<glob>} (the classic shadow is {@code classic}): every delta the shadow store reports
 * (desired fields that differ from reported ones), as a {@code Map} body. Consumer only.
 */
final class ShadowDeltaEndpoint extends StartingEndpoint {

    /** How the {@code shadow} option names the classic (unnamed) shadow. */
    static final String CLASSIC = "classic";

    final Pattern thing;
    final Pattern shadow;
    final int queueSize;

    ShadowDeltaEndpoint(String uri, FogwerkComponent component, FogwerkServices services, String thing,
            String shadow, int queueSize) {
        super(uri, component, services);
        this.thing = Globs.compile(thing);
        this.shadow = Globs.compile(shadow);
        this.queueSize = queueSize;
    }

    @Override
    Consumer consumer(Processor processor) {
        return new DeltaConsumer(this, processor);
    }

    /** Hands deltas to its own thread, so the store's event thread never waits for a route. */
    static final class DeltaConsumer extends PushConsumer<ShadowDeltaEndpoint> implements ShadowListener {

        private final LongAdder dropped = new LongAdder();
        private ThreadPoolExecutor executor;
        private FogwerkServices.Registration registration;

        DeltaConsumer(ShadowDeltaEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            String name = "fogwerk-route-" + (getRouteId() == null ? "delta" : getRouteId());
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(endpoint.queueSize), DaemonThreads.named(name),
                    (r, pool) -> dropped.increment());
            registration = endpoint.services.addShadowListener(this);
        }

        @Override
        protected void doStop() throws Exception {
            if (registration != null) {
                registration.close();
                registration = null;
            }
            if (executor != null) {
                executor.shutdown();
                executor.awaitTermination(2, TimeUnit.SECONDS);
                executor = null;
            }
            super.doStop();
        }

        @Override
        public long overflowCount() {
            return dropped.sum();
        }

        @Override
        public void delta(ShadowDocument current) {
            ThreadPoolExecutor ex = executor;
            String shadowName = current.shadow().isEmpty() ? CLASSIC : current.shadow();
            if (ex == null || !Globs.matches(endpoint.thing, current.thing())
                    || !Globs.matches(endpoint.shadow, shadowName)) {
                return;
            }
            ex.execute(() -> send(current));
        }

        private void send(ShadowDocument doc) {
            push(exchange -> {
                Message m = exchange.getIn();
                m.setBody(doc.delta());
                m.setHeader(FogwerkHeaders.THING, doc.thing());
                String type = endpoint.services.things().thing(doc.thing()).map(Thing::type).orElse("");
                if (!type.isEmpty()) {
                    m.setHeader(FogwerkHeaders.THING_TYPE, type);
                }
                m.setHeader(FogwerkHeaders.SHADOW, doc.shadow());
                m.setHeader(FogwerkHeaders.SHADOW_VERSION, doc.version());
            }, "Route failed on the delta of ", doc.thing());
        }
    }
}
