package org.fogwerk.core.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.registry.ThingRegistry;
import org.osgi.util.converter.Converters;

/**
 * The node's real core as DS would wire it, for the end-to-end benchmark: tag bus, connector
 * registry, thing registry and the reported-state writer into the given shadow store.
 */
public final class BenchNode implements AutoCloseable {

    private final TagBusImpl bus;
    private final ConnectorRegistryImpl connectors;
    private final ThingRegistryImpl things;
    private final ReportedStateWriter writer;

    public BenchNode(ShadowStore store) {
        bus = new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
        connectors = new ConnectorRegistryImpl(bus);
        things = new ThingRegistryImpl(connectors);
        // the defaults of etc/org.fogwerk.core.reported.cfg
        writer = new ReportedStateWriter(things, store,
                Converters.standardConverter().convert(Map.of()).to(ReportedStateConfig.class));
        bus.addListener(writer, Map.of("component.name", "reported-state", TagListener.QUEUE_CAPACITY_PROPERTY,
                100_000));
    }

    public TagSink sink() {
        return bus;
    }

    public TagBus bus() {
        return bus;
    }

    public ThingRegistry things() {
        return things;
    }

    public ConnectorRegistry connectors() {
        return connectors;
    }

    public long shadowWrites() {
        return writer.writes();
    }

    public void addConnector(Connector c) {
        connectors.addConnector(c);
    }

    public void removeConnector(Connector c) {
        connectors.removeConnector(c);
    }

    /**
     * A configured thing, as etc/org.fogwerk.thing-&lt;name&gt;.cfg would declare it: one field per tag
     * of the connection (dots of tag names become '_').
     */
    public void addThing(String name, String connectionId, List<String> tags) {
        Map<String, Object> props = new HashMap<>();
        props.put("felix.fileinstall.filename", "etc/org.fogwerk.thing-" + name + ".cfg");
        for (String tag : tags) {
            props.put("map." + tag.replace('.', '_'), connectionId + "/" + tag);
        }
        things.addSource(new ThingSource(Converters.standardConverter().convert(props).to(ThingConfig.class),
                props));
    }

    /** Registers a listener as the whiteboard would, with its own queue of the given size. */
    public void addListener(TagListener listener, String name, int capacity) {
        bus.addListener(listener, Map.of("component.name", name, TagListener.QUEUE_CAPACITY_PROPERTY,
                String.valueOf(capacity)));
    }

    public void removeListener(TagListener listener) {
        bus.removeListener(listener);
    }

    /** The thing a tag value belongs to, as the uplink component asks the thing registry. */
    public String thingOf(String connectionId, String tag) {
        List<ThingRegistry.Target> targets = things.targets(connectionId, tag);
        return targets.isEmpty() ? connectionId : targets.get(0).thing();
    }

    @Override
    public void close() {
        bus.removeListener(writer);
        writer.deactivate();
        connectors.deactivate();
        bus.deactivate();
    }
}
