package org.fogwerk.camel.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.registry.ThingRegistry.Target;

/**
 * Listens on the tag bus like any other listener: the bus gives it its own bounded queue and
 * thread, so a slow or failing route loses values of its own (counted in
 * {@link #overflowCount()}) and never slows the connectors, uplinks or other routes.
 */
final class TagsConsumer extends DefaultConsumer implements TagListener {

    private static final int DRAIN_BATCH = 256;

    private final TagsEndpoint endpoint;
    private final LongAdder ownDropped = new LongAdder();
    private volatile String listenerName;
    private FogwerkServices.Registration registration;
    private BlockingQueue<TagValue> freshest;
    private Thread drainer;

    TagsConsumer(TagsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String routeId = getRouteId() == null ? endpoint.getEndpointKey() : getRouteId();
        listenerName = "camel-route:" + routeId;
        Map<String, Object> props = new HashMap<>();
        props.put("component.name", listenerName);
        if (endpoint.overflow == TagsEndpoint.Overflow.DROP_OLDEST) {
            freshest = new ArrayBlockingQueue<>(endpoint.queueSize);
            drainer = new Thread(this::drain, "fogwerk-route-" + routeId);
            drainer.setDaemon(true);
            drainer.start();
        } else {
            props.put(TagListener.QUEUE_CAPACITY_PROPERTY, endpoint.queueSize);
        }
        if (endpoint.sendLatest) {
            TagBus bus = endpoint.services.bus();
            for (String connection : bus.connections().keySet()) {
                if (Globs.matches(endpoint.connection, connection)) {
                    deliverAll(bus.latest(connection));
                }
            }
        }
        registration = endpoint.services.addTagListener(this, props);
    }

    @Override
    protected void doStop() throws Exception {
        if (registration != null) {
            registration.close();
            registration = null;
        }
        if (drainer != null) {
            drainer.interrupt();
            drainer.join(2000);
            drainer = null;
        }
        super.doStop();
    }

    /** Values this route lost because it could not keep up. */
    long overflowCount() {
        long dropped = ownDropped.sum();
        String name = listenerName;
        if (name != null && endpoint.overflow == TagsEndpoint.Overflow.DROP_NEWEST) {
            Counters c = endpoint.services.bus().listeners().get(name);
            if (c != null) {
                dropped += c.dropped();
            }
        }
        return dropped;
    }

    @Override
    public void onValues(List<TagValue> values) {
        BlockingQueue<TagValue> q = freshest;
        if (q != null) {
            for (int i = 0, n = values.size(); i < n; i++) {
                TagValue v = values.get(i);
                while (!q.offer(v)) {
                    if (q.poll() != null) {
                        ownDropped.increment();
                    }
                }
            }
            return;
        }
        deliverAll(values);
    }

    private void drain() {
        List<TagValue> batch = new ArrayList<>(DRAIN_BATCH);
        BlockingQueue<TagValue> q = freshest;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                batch.add(q.take());
                q.drainTo(batch, DRAIN_BATCH - 1);
                deliverAll(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliverAll(List<TagValue> values) {
        if (!isRunAllowed()) {
            return;
        }
        for (int i = 0, n = values.size(); i < n; i++) {
            deliver(values.get(i));
        }
    }

    private void deliver(TagValue v) {
        if (!Globs.matches(endpoint.connection, v.connectionId())) {
            return;
        }
        ThingRegistry things = endpoint.services.things();
        List<Target> targets = things.targets(v.connectionId(), v.tag());
        boolean filtered = false;
        if (targets.isEmpty()) {
            if (endpoint.anyThing && Globs.matches(endpoint.tag, v.tag()) && accept(v)) {
                send(v, null, null, null);
            }
            return;
        }
        for (int i = 0, n = targets.size(); i < n; i++) {
            Target t = targets.get(i);
            if (Globs.matches(endpoint.thing, t.thing())
                    && (Globs.matches(endpoint.tag, v.tag()) || Globs.matches(endpoint.tag, t.field()))) {
                if (!filtered) {
                    filtered = true;
                    if (!accept(v)) {
                        return;
                    }
                }
                send(v, t.thing(), things.thing(t.thing()).map(Thing::type).orElse(""), t.field());
            }
        }
    }

    private boolean accept(TagValue v) {
        return endpoint.filter == null || endpoint.filter.test(v);
    }

    private void send(TagValue v, String thing, String type, String field) {
        Exchange exchange = createExchange(false);
        try {
            Message m = exchange.getIn();
            m.setBody(v);
            if (thing != null) {
                m.setHeader(FogwerkHeaders.THING, thing);
                if (!type.isEmpty()) {
                    m.setHeader(FogwerkHeaders.THING_TYPE, type);
                }
                m.setHeader(FogwerkHeaders.FIELD, field);
            }
            m.setHeader(FogwerkHeaders.TAG, v.tag());
            m.setHeader(FogwerkHeaders.CONNECTION, v.connectionId());
            m.setHeader(FogwerkHeaders.QUALITY, v.quality().name());
            m.setHeader(FogwerkHeaders.SOURCE_TIME, Instant.ofEpochMilli(v.sourceTime()));
            m.setHeader(FogwerkHeaders.RECEIVED_TIME, Instant.ofEpochMilli(v.receivedTime()));
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Route failed on " + v, exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}
