package org.fogwerk.camel.internal.component;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.registry.ThingRegistry.Target;

/**
 * Listens on the tag bus like any other listener: the bus gives it its own bounded queue and
 * thread, dropping the newest or the oldest values when it is full, so a slow or failing route
 * loses values of its own (counted in {@link #overflowCount()}) and never slows the
 * connectors, uplinks or other routes.
 */
public final class TagsConsumer extends ListeningConsumer<TagsEndpoint> implements TagListener {

    private volatile String listenerName;

    TagsConsumer(TagsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    FogwerkServices.Registration listen() {
        String routeId = getRouteId() == null ? endpoint.getEndpointKey() : getRouteId();
        listenerName = "camel-route:" + routeId;
        Map<String, Object> props = new HashMap<>();
        props.put("component.name", listenerName);
        props.put(TagListener.QUEUE_CAPACITY_PROPERTY, endpoint.queueSize());
        props.put(TagListener.OVERFLOW_PROPERTY, endpoint.overflowPolicy == TagsEndpoint.Overflow.DROP_OLDEST
                ? TagListener.DROP_OLDEST : TagListener.DROP_NEWEST);
        if (endpoint.sendLatest()) {
            TagBus bus = endpoint.services.bus();
            for (String connection : bus.connections().keySet()) {
                if (endpoint.connectionPattern.matches(connection)) {
                    deliverAll(bus.latest(connection));
                }
            }
        }
        return endpoint.services.addTagListener(this, props);
    }

    @Override
    public long overflowCount() {
        String name = listenerName;
        Counters c = name == null ? null : endpoint.services.bus().listeners().get(name);
        return c == null ? 0 : c.dropped();
    }

    @Override
    public void onValues(List<TagValue> values) {
        deliverAll(values);
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
        if (!endpoint.connectionPattern.matches(v.connectionId())) {
            return;
        }
        ThingRegistry things = endpoint.services.things();
        List<Target> targets = things.targets(v.connectionId(), v.tag());
        boolean filtered = false;
        if (targets.isEmpty()) {
            if (endpoint.anyThing() && endpoint.tagPattern.matches(v.tag()) && accept(v)) {
                send(v, null, null, null);
            }
            return;
        }
        for (int i = 0, n = targets.size(); i < n; i++) {
            Target t = targets.get(i);
            if (endpoint.thingPattern.matches(t.thing())
                    && (endpoint.tagPattern.matches(v.tag()) || endpoint.tagPattern.matches(t.field()))) {
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
        return endpoint.filter == null || endpoint.filter.accept(v);
    }

    private void send(TagValue v, String thing, String type, String field) {
        push(exchange -> {
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
        }, "Route failed on ", v);
    }
}
