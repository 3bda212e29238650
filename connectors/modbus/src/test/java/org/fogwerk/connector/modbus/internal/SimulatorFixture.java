package org.fogwerk.connector.modbus.internal;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.connector.modbus.standalone.StandaloneModbus;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.simulator.internal.ModbusSimulatorConfig;
import org.fogwerk.testing.Configs;

/** Starts the in-process Modbus simulator and turns its catalog into tag lines. */
final class SimulatorFixture {

    private SimulatorFixture() {
    }

    static ModbusSimulator start(int port, int tagCount, int writable) {
        ModbusSimulatorConfig cfg = Configs.typed(ModbusSimulatorConfig.class, "port", port, "tag.count", tagCount,
                "writable.count", writable, "update.interval", 100);
        ModbusSimulator sim = new ModbusSimulator(cfg);
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.status().running());
        return sim;
    }

    /** One tag line per simulated tag, at the address and with the type the simulator serves. */
    static List<String> tagLines(ModbusSimulator sim, String areaFilter) {
        List<String> lines = new ArrayList<>();
        for (SimulatedTag t : sim.tags()) {
            if (areaFilter == null || areaFilter.equals(StandaloneModbus.area(t))) {
                lines.add(StandaloneModbus.tagLine(t, t.writable()));
            }
        }
        return lines;
    }
}
