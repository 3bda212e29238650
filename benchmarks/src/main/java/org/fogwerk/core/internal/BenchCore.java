package org.fogwerk.core.internal;

import java.util.Map;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.spi.TagSink;
import org.osgi.util.converter.Converters;

/** The node's real tag bus, built with its default configuration as DS would, for the benchmarks. */
public final class BenchCore implements AutoCloseable {

    private final TagBusImpl bus;

    public BenchCore() {
        bus = new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
    }

    public TagSink sink() {
        return bus;
    }

    public TagBus bus() {
        return bus;
    }

    /** Registers a listener as the whiteboard would, with its own queue of the given size. */
    public void addListener(TagListener listener, String name, int capacity) {
        bus.addListener(listener, Map.of("component.name", name, TagListener.QUEUE_CAPACITY_PROPERTY,
                String.valueOf(capacity)));
    }

    public void removeListener(TagListener listener) {
        bus.removeListener(listener);
    }

    @Override
    public void close() {
        bus.deactivate();
    }
}
