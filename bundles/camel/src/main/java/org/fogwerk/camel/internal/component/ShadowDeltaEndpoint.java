package org.fogwerk.camel.internal.component;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.glob.Glob;

/**
 * {@code fogwerk:shadow-delta?thing=<glob>&shadow=<glob>} (the classic shadow is {@code classic}): every delta the shadow store reports
 * (desired fields that differ from reported ones), as a {@code Map} body. Consumer only.
 */
@UriEndpoint(scheme = FogwerkComponent.SCHEME, title = "Fogwerk shadow deltas", syntax = "fogwerk:shadow-delta",
        consumerOnly = true, category = Category.IOT)
public final class ShadowDeltaEndpoint extends StartingEndpoint implements AfterPropertiesConfigured {

    /** How the {@code shadow} option names the classic (unnamed) shadow. */
    static final String CLASSIC = "classic";

    @UriParam(defaultValue = "*", description = "Things whose deltas the route gets: a pattern (* any run of"
            + " characters, ? one, a comma between alternatives)")
    private String thing = "*";
    @UriParam(defaultValue = "*", description = "Shadows whose deltas the route gets: a pattern; the classic"
            + " (unnamed) shadow is " + CLASSIC)
    private String shadow = "*";
    @UriParam(defaultValue = "1000", description = "Deltas that wait for the route, 1 to 1000000")
    private int queueSize = 1000;

    Glob thingPattern = Glob.of(null);
    Glob shadowPattern = Glob.of(null);

    ShadowDeltaEndpoint(String uri, FogwerkComponent component, FogwerkServices services) {
        super(uri, component, services);
    }

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        FogwerkComponent.checkRange("queueSize", queueSize, 1, 1_000_000);
        thingPattern = Glob.of(thing);
        shadowPattern = Glob.of(shadow);
    }

    public void setThing(String thing) {
        this.thing = thing;
    }

    public void setShadow(String shadow) {
        this.shadow = shadow;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    @Override
    Consumer consumer(Processor processor) {
        return new DeltaConsumer(this, processor);
    }

    /** Hands deltas to its own thread, so the store's event thread never waits for a route. */
    static final class DeltaConsumer extends ListeningConsumer<ShadowDeltaEndpoint> implements ShadowListener {

        private final LongAdder dropped = new LongAdder();
        private ThreadPoolExecutor executor;

        DeltaConsumer(ShadowDeltaEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        FogwerkServices.Registration listen() {
            String name = "fogwerk-route-" + (getRouteId() == null ? "delta" : getRouteId());
            executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(endpoint.queueSize), DaemonThreads.named(name),
                    (r, pool) -> dropped.increment());
            return endpoint.services.addShadowListener(this);
        }

        @Override
        void stopListening() throws InterruptedException {
            if (executor != null) {
                executor.shutdown();
                executor.awaitTermination(2, TimeUnit.SECONDS);
                executor = null;
            }
        }

        @Override
        public long overflowCount() {
            return dropped.sum();
        }

        @Override
        public void delta(ShadowDocument current) {
            ThreadPoolExecutor ex = executor;
            String shadowName = current.shadow().isEmpty() ? CLASSIC : current.shadow();
            if (ex == null || !endpoint.thingPattern.matches(current.thing())
                    || !endpoint.shadowPattern.matches(shadowName)) {
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
