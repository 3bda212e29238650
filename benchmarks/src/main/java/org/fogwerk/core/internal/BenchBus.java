package org.fogwerk.core.internal;

import java.util.Map;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.osgi.util.converter.Converters;

/** The real tag bus with its connector and thing registries at their default settings, for benchmarks of other modules. */
public final class BenchBus implements AutoCloseable {

    public final TagBusImpl bus = new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
    private final ConnectorRegistryImpl connectors = new ConnectorRegistryImpl(bus);
    private final ThingRegistryImpl things = new ThingRegistryImpl(connectors);

    public ConnectorRegistry connectors() {
        return connectors;
    }

    public ThingRegistry things() {
        return things;
    }

    public void addListener(TagListener listener, Map<String, Object> properties) {
        bus.addListener(listener, properties);
    }

    public void removeListener(TagListener listener) {
        bus.removeListener(listener);
    }

    @Override
    public void close() {
        connectors.deactivate();
        bus.deactivate();
    }
}
