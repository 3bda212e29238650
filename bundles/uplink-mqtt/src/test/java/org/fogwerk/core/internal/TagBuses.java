package org.fogwerk.core.internal;

import java.util.Map;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.spi.Connector;
import org.osgi.util.converter.Converters;

/** Test access to the real core tag bus (its config type and whiteboard binding are package-private). */
public final class TagBuses {

    private TagBuses() {
    }

    public static TagBusImpl create() {
        return new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
    }

    public static void attach(TagBusImpl bus, TagListener listener, String name) {
        bus.addListener(listener, Map.of("component.name", name, TagListener.QUEUE_CAPACITY_PROPERTY, 100_000));
    }

    /** Registers a listener with the service properties its component gives it. */
    public static void attach(TagBusImpl bus, TagListener listener, Map<String, Object> properties) {
        bus.addListener(listener, properties);
    }

    /** Announces a connection's service, as OSGi would when it comes. */
    public static void announce(TagBusImpl bus, Connector connector) {
        bus.addConnector(connector);
    }

    public static void stop(TagBusImpl bus) {
        bus.deactivate();
    }
}
