package org.fogwerk.core.internal;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.registry.ThingRegistry;

/** The node's real tag bus, connection registry and thing registry, wired as DS would, for tests. */
public final class CoreNode implements AutoCloseable {

    private final TagBusImpl bus = TagBuses.create();
    private final ConnectorRegistryImpl connectors = new ConnectorRegistryImpl(bus);
    private final ThingRegistryImpl things = new ThingRegistryImpl(connectors);

    public TagSink sink() {
        return bus;
    }

    public TagBus bus() {
        return bus;
    }

    public ConnectorRegistry connectors() {
        return connectors;
    }

    public ThingRegistry things() {
        return things;
    }

    public void add(Connector c) {
        connectors.addConnector(c);
    }

    public void listen(TagListener listener, String name) {
        TagBuses.attach(bus, listener, name);
    }

    @Override
    public void close() {
        connectors.deactivate();
        bus.deactivate();
    }
}
