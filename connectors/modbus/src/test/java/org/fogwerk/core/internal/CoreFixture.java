package org.fogwerk.core.internal;

import java.util.Map;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.osgi.util.converter.Converters;

/** The node's real tag bus and connector registry, wired as DS would, for tests of this module. */
public final class CoreFixture implements AutoCloseable {

    private final TagBusImpl bus;
    private final ConnectorRegistryImpl registry;

    public CoreFixture() {
        bus = new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
        registry = new ConnectorRegistryImpl(bus);
    }

    public TagSink sink() {
        return bus;
    }

    public TagBus bus() {
        return bus;
    }

    public ConnectorRegistry registry() {
        return registry;
    }

    public void add(Connector c) {
        registry.addConnector(c);
    }

    @Override
    public void close() {
        registry.deactivate();
        bus.deactivate();
    }
}
