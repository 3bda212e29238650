package org.fogwerk.connector.modbus.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.Test;

/** The demo connection the node ships (config/etc) reads every tag of the default simulator. */
class SampleConfigTest {

    @Test
    void theShippedDemoConnectionReadsTheWholeDefaultSimulator() throws Exception {
        Path etc = Paths.get("../../config/etc");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(etc.resolve("org.fogwerk.connector.modbus-sim-modbus.cfg"))) {
            p.load(in);
        }
        int port = FreePorts.next();
        Map<String, Object> cfg = new HashMap<>();
        p.forEach((k, v) -> cfg.put((String) k, v));
        cfg.put("port", Integer.toString(port));
        cfg.put("tags.file", etc.getParent().resolve((String) cfg.get("tags.file")).toString());
        cfg.put("felix.fileinstall.filename", "file:/etc/org.fogwerk.connector.modbus-sim-modbus.cfg");
        ModbusSimulator sim = SimulatorFixture.start(port, 20, 4);
        RecordingSink sink = new RecordingSink();
        ModbusConnection c = ModbusConnectorComponent.create(TestConfigs.config(flatten(cfg)), cfg, sink);
        try {
            assertEquals("sim-modbus", c.id());
            assertEquals(20, c.tags().size(), c.status().reason());
            c.start();
            List<String> names = c.tags().stream().map(t -> t.name()).toList();
            await().atMost(Duration.ofSeconds(10)).until(() -> names.stream().allMatch(n -> {
                TagValue v = sink.get(n);
                return v != null && v.quality() == Quality.GOOD;
            }));
            assertEquals(ConnectorState.CONNECTED, c.status().state());
            assertEquals(0.0, sink.get("setpointDouble20").value());
        } finally {
            c.stop();
            sim.deactivate();
        }
    }

    private static Object[] flatten(Map<String, Object> m) {
        Object[] kv = new Object[m.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        return kv;
    }
}
