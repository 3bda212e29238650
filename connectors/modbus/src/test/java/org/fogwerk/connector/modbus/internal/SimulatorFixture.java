package org.fogwerk.connector.modbus.internal;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.simulator.internal.ModbusSimulatorConfig;
import org.osgi.util.converter.Converters;

/** Starts the in-process Modbus simulator and turns its catalog into tag lines. */
final class SimulatorFixture {

    private SimulatorFixture() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ModbusSimulator start(int port, int tagCount, int writable) {
        ModbusSimulatorConfig cfg = Converters.standardConverter()
                .convert(Map.of("port", port, "tag.count", tagCount, "writable.count", writable,
                        "update.interval", 100))
                .to(ModbusSimulatorConfig.class);
        ModbusSimulator sim = new ModbusSimulator(cfg);
        await().atMost(Duration.ofSeconds(10)).until(() -> sim.status().running());
        return sim;
    }

    /** One tag line per simulated tag, at the address and with the type the simulator serves. */
    static List<String> tagLines(ModbusSimulator sim, String areaFilter) {
        List<String> lines = new ArrayList<>();
        for (SimulatedTag t : sim.tags()) {
            String[] where = t.address().split(" ");
            String area = where[0].replace("-register", "");
            if (areaFilter != null && !areaFilter.equals(area)) {
                continue;
            }
            String type;
            switch (t.dataType()) {
                case BOOLEAN:
                    type = "bool";
                    break;
                case FLOAT:
                    type = "float32";
                    break;
                case DOUBLE:
                    type = "float64";
                    break;
                case STRING:
                    type = "string(16)";
                    break;
                default:
                    type = t.dataType().name().toLowerCase();
                    break;
            }
            lines.add(t.name() + ",," + area + "," + where[1] + "," + type + ",,,,," + (t.writable() ? "rw" : "r"));
        }
        return lines;
    }
}
