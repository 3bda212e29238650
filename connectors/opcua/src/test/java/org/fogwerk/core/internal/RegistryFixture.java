package org.fogwerk.core.internal;

import java.util.Map;

import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.osgi.util.converter.Converters;

/**
 * The core's real connector registry on a real tag bus, for this module's tests; it lives in the
 * core's package because the core's components are package-private.
 */
public final class RegistryFixture implements AutoCloseable {

    private final TagBusImpl bus = new TagBusImpl(Converters.standardConverter().convert(Map.of())
            .to(TagBusConfig.class));
    private final ConnectorRegistryImpl registry = new ConnectorRegistryImpl(bus);

    public org.fogwerk.api.bus.TagBus bus() {
        return bus;
    }

    public org.fogwerk.api.connector.spi.TagSink sink() {
        return bus;
    }

    public ConnectorRegistry registry() {
        return registry;
    }

    public void add(Connector connector) {
        registry.addConnector(connector);
    }

    @Override
    public void close() {
        registry.deactivate();
        bus.deactivate();
    }
}
