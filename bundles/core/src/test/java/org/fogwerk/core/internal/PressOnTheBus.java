package org.fogwerk.core.internal;

import java.util.Map;

import org.fogwerk.testing.Configs;
import org.fogwerk.testing.TestMachine;

/**
 * The tag bus with its defaults and the connector registry on it, as the node wires them, with a
 * press connected; closing stops the registry and then the bus, as the node does.
 */
final class PressOnTheBus implements AutoCloseable {

    final TagBusImpl bus = new TagBusImpl(Configs.typed(TagBusConfig.class, Map.of()));
    final ConnectorRegistryImpl connectors = new ConnectorRegistryImpl(bus);
    final TestMachine press = new TestMachine("press01");

    PressOnTheBus() {
        connectors.addConnector(press);
    }

    @Override
    public void close() {
        connectors.deactivate();
        bus.deactivate();
    }
}
