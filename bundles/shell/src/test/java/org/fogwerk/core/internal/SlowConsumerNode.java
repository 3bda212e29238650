package org.fogwerk.core.internal;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.osgi.util.converter.Converters;

/**
 * The core's real tag bus and connector registry with one consumer that takes nothing until
 * released, so that its small queue overflows; for tests of what the shell shows about drops.
 */
public final class SlowConsumerNode implements AutoCloseable {

    private final TagBusImpl bus;
    private final ConnectorRegistryImpl registry;
    private final CountDownLatch release = new CountDownLatch(1);

    public SlowConsumerNode(String consumer, int queue) {
        this.bus = new TagBusImpl(Converters.standardConverter().convert(Map.of("listener.capacity", queue))
                .to(TagBusConfig.class));
        this.registry = new ConnectorRegistryImpl(bus);
        TagListener slow = values -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        bus.addListener(slow, Map.of("component.name", consumer));
    }

    /** Adds a connection as the bus and the registry would see its service come. */
    public void add(Connector connector) {
        registry.addConnector(connector);
        bus.addConnector(connector);
    }

    public TagBusImpl bus() {
        return bus;
    }

    public ConnectorRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        release.countDown();
        registry.deactivate();
        bus.deactivate();
    }
}
