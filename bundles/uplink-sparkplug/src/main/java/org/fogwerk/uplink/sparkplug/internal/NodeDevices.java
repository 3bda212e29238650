package org.fogwerk.uplink.sparkplug.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.uplink.spi.ProfileContext;

/**
 * The node's devices as the thing and connection registries describe them: which there are,
 * which metrics they will have, and whether each is up, down or still starting.
 */
record NodeDevices(ProfileContext ctx, MetricTable metrics, MetricEncoder encoder) {

    /** Gives every mapped field of the thing a metric, so its birth lists what it will ever send. */
    void defineThingMetrics(String device) {
        ThingRegistry registry = ctx.thingRegistry();
        if (registry == null) {
            return;
        }
        Optional<Thing> thing = registry.thing(device);
        if (thing.isEmpty()) {
            return;
        }
        TagBus bus = ctx.tagBus();
        for (FieldMapping m : thing.get().mappings()) {
            if (!ctx.includesTag(m.connectionId(), m.tag())) {
                continue;
            }
            String name = m.field().replace('.', '/');
            if (metrics.get(device, name) == null) {
                int datatype = datatype(m);
                if (datatype != MetricEncoder.UNKNOWN) { // else defined once the type is known
                    metrics.define(device, name, datatype, m.connectionId(), m.tag());
                }
            }
        }
    }

    /** The datatype a mapped field's metric gets now, {@link MetricEncoder#UNKNOWN} when none yet. */
    private int datatype(FieldMapping m) {
        TagBus bus = ctx.tagBus();
        Object latest = bus == null ? null : bus.latest(m.connectionId(), m.tag()).map(TagValue::value).orElse(null);
        return encoder.datatype(m.connectionId(), m.tag(), latest);
    }

    /**
     * Whether a thing mapping has a field that has no metric yet and can have one (a tag added to a
     * running node, or one whose type its connection has just learnt).
     */
    boolean hasNewMetric(String device) {
        ThingRegistry registry = ctx.thingRegistry();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        if (thing.isEmpty()) {
            return false;
        }
        for (FieldMapping m : thing.get().mappings()) {
            if (ctx.includesTag(m.connectionId(), m.tag()) && metrics.get(device, m.field().replace('.', '/')) == null
                    && datatype(m) != MetricEncoder.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    /** The devices a birth sequence covers: the things of the node (filtered), else those seen so far. */
    Set<String> candidates() {
        Set<String> result = new LinkedHashSet<>();
        ThingRegistry registry = ctx.thingRegistry();
        if (registry != null) {
            for (Thing t : registry.things()) {
                if (ctx.includesThing(t.name()) && !t.mappings().isEmpty()) {
                    result.add(SparkplugSettings.deviceId(t.name()));
                }
            }
        } else {
            result.addAll(metrics.devices());
        }
        return result;
    }

    /** Whether a device can be born, must die, or waits for its connections to finish connecting. */
    enum DeviceState { UP, DOWN, STARTING }

    /**
     * A device is up while every connection feeding it is connected, down when one of them is lost
     * (DISCONNECTED or FAILED), and starting while one is still connecting; without connection
     * registry always up.
     */
    DeviceState state(String device) {
        ConnectorRegistry connectors = ctx.connectorRegistry();
        if (connectors == null) {
            return DeviceState.UP;
        }
        ThingRegistry registry = ctx.thingRegistry();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        List<String> connections = new ArrayList<>();
        if (thing.isPresent() && !thing.get().mappings().isEmpty()) {
            for (FieldMapping m : thing.get().mappings()) {
                if (!connections.contains(m.connectionId())) {
                    connections.add(m.connectionId());
                }
            }
        } else {
            connections.add(device);
        }
        DeviceState result = DeviceState.UP;
        for (String id : connections) {
            Optional<ConnectorInfo> info = connectors.connector(id);
            if (info.isEmpty()) {
                continue; // not a connection of this node: nothing says it is down
            }
            ConnectorState state = info.get().status().state();
            if (state == ConnectorState.DISCONNECTED || state == ConnectorState.FAILED) {
                return DeviceState.DOWN;
            }
            if (state == ConnectorState.CONNECTING) {
                result = DeviceState.STARTING;
            }
        }
        return result;
    }

    /** Whether the thing registry knows the device, or there is no registry to ask. */
    boolean candidatesContain(String device) {
        ThingRegistry registry = ctx.thingRegistry();
        return registry == null || registry.thing(device).isPresent();
    }

    /** Whether a device's connections are done connecting and each of its tags has a value. */
    boolean settled(String device) {
        ThingRegistry registry = ctx.thingRegistry();
        TagBus bus = ctx.tagBus();
        ConnectorRegistry connectors = ctx.connectorRegistry();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        if (thing.isEmpty() || bus == null) {
            return false; // what the device will have is not known: the settle time decides
        }
        for (FieldMapping m : thing.get().mappings()) {
            if (!ctx.includesTag(m.connectionId(), m.tag())) {
                continue;
            }
            if (connectors != null && connectors.connector(m.connectionId())
                    .map(c -> c.status().state() == ConnectorState.CONNECTING).orElse(false)) {
                return false;
            }
            if (bus.latest(m.connectionId(), m.tag()).isEmpty()) {
                return false;
            }
            if (metrics.get(device, m.field().replace('.', '/')) == null && datatype(m) == MetricEncoder.UNKNOWN) {
                return false; // its connection has not learnt the tag's type yet
            }
        }
        return true;
    }
}
