package org.fogwerk.connector.modbus.internal;

import java.util.HashMap;
import java.util.Map;

import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.testing.Configs;

/** Lets tests in other packages start connections as the component does. */
public final class TestAccess {

    private TestAccess() {
    }

    public static ModbusSimulator simulator(int port) {
        return SimulatorFixture.start(port, 22, 6);
    }

    /** Starts a connection named {@code id}, registered with the core and with {@code connections}. */
    public static AutoCloseable connect(ModbusConnections connections, StandaloneCore core, String id,
            Map<String, Object> config) {
        Map<String, Object> props = new HashMap<>(config);
        props.put("felix.fileinstall.filename", "file:/etc/" + ModbusSettings.PID + "-" + id + ".cfg");
        ModbusConnection c = ModbusConnectorComponent.create(
                Configs.typed(ModbusConfig.class, props), props, core.sink());
        connections.add(c);
        core.add(c);
        c.start();
        return () -> {
            connections.remove(c);
            c.stop();
        };
    }
}
