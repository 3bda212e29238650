package org.fogwerk.uplink.sparkplug.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.uplink.mqtt.internal.TestConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.connector.modbus.standalone.StandaloneModbus;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.simulator.internal.ModbusSimulatorConfig;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.EngineContext;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.testing.RecordingShadowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** DCMD from a host application to the machine, and commands that must not disturb anything. */
class DeviceCommandTest {

    static final String URL = EdgeNodeTest.URL;

    @TempDir
    Path dir;

    @Test
    void dcmdWritesTheSimulatedPlcAndItsNewValueComesBackAsDdata() throws Exception {
        String group = Nodes.group();
        int port = TestSupport.freePort();
        ModbusSimulator sim = new ModbusSimulator(Converters.standardConverter()
                .convert(Map.of("port", port, "update.interval", 100)).to(ModbusSimulatorConfig.class));
        try (CoreNode core = new CoreNode(); SparkplugHost host = new SparkplugHost(URL, group);
                Stopped plc = new Stopped(StandaloneModbus.open("plc", Map.of("host", "127.0.0.1", "port", port,
                        "poll.interval", 100L, "tags", "setpointInt3217,,holding,0,int32,,,,,rw; "
                                + "counterUInt1604,,input,3,uint16,,,,,r"), core.sink()))) {
            core.add(plc.connector());
            try (MqttUplink uplink = Nodes.listening(dir, Nodes.config(URL, group, "sparkplug.device.check.ms", 100),
                    core)) {
                SparkplugHost.Received birth = host.await(r -> r.verb().equals("DBIRTH") && "plc".equals(r.device()));
                Metric setpoint = birth.metric("setpointInt3217");
                assertEquals(MetricDataType.Int32, setpoint.getDataType());
                assertEquals(MetricDataType.UInt16, birth.metric("counterUInt1604").getDataType());
                long writesBefore = sim.status().writes();

                host.command("DCMD/edge1/plc", new Metric.MetricBuilder(setpoint.getAlias(), MetricDataType.Int32, 4711)
                        .createMetric());

                host.await(r -> r.verb().equals("DDATA") && r.payload().getMetrics().stream()
                        .anyMatch(m -> setpoint.getAlias().equals(m.getAlias()) && Integer.valueOf(4711).equals(m.getValue())));
                assertEquals(writesBefore + 1, sim.status().writes());
            }
        } finally {
            sim.deactivate();
        }
    }

    @Test
    void dcmdOnAFieldOfAThingBecomesDesiredState() throws Exception {
        String group = Nodes.group();
        RecordingShadowStore shadows = new RecordingShadowStore();
        try (CoreNode core = new CoreNode(); SparkplugHost host = new SparkplugHost(URL, group)) {
            TestConnector press = EdgeNodeTest.press();
            core.add(press);
            try (MqttUplink uplink = Nodes.start(dir, Nodes.config(URL, group), core, () -> shadows)) {
                Metric setpoint = host.await(r -> r.verb().equals("DBIRTH")).metric("setpoint");
                host.command("DCMD/edge1/press01", new Metric.MetricBuilder(setpoint.getAlias(), MetricDataType.Int32, 250)
                        .createMetric());
                await().atMost(Duration.ofSeconds(10)).until(() -> !shadows.writes.isEmpty());
                ShadowUpdate u = shadows.updates().get(0);
                assertEquals(Map.of("setpoint", 250L), u.desired());
                assertEquals(List.of("press01"), shadows.updatedThings());
                assertTrue(press.writes.isEmpty(), "the node's command path writes the tag, not the uplink");
            }
        }
    }

    @Test
    void badCommandsAreCountedAndLoggedAndNothingElseIsDisturbed() throws Exception {
        String group = Nodes.group();
        try (CoreNode core = new CoreNode(); SparkplugHost host = new SparkplugHost(URL, group)) {
            TestConnector press = EdgeNodeTest.press();
            core.add(press);
            EngineContext ctx = Nodes.context(dir, Nodes.config(URL, group), core, () -> null);
            SparkplugProfile profile = new SparkplugProfile(ctx);
            try (MqttUplink uplink = Nodes.start(dir, ctx, profile)) {
                core.listen(uplink, "sp");
                SparkplugHost.Received birth = host.await(r -> r.verb().equals("DBIRTH"));
                long pressure = birth.metric("pressure").getAlias();
                String base = "spBv1.0/" + group + "/";
                host.publish(base + "NCMD/edge1", "rebirth please".getBytes(StandardCharsets.UTF_8));
                host.publish(base + "DCMD/edge1/press01", new byte[] {(byte) 0xFF, 0x01, 0x02});
                host.command("DCMD/edge1/press01", new Metric.MetricBuilder(99_999L, MetricDataType.Double, 1.0)
                        .createMetric());
                host.command("DCMD/edge1/press01", new Metric.MetricBuilder(pressure, MetricDataType.Boolean, true)
                        .createMetric());
                host.command("DCMD/edge1/press01", new Metric.MetricBuilder("noSuchTag", MetricDataType.Double, 1.0)
                        .createMetric());
                host.command("NCMD/edge1", new Metric.MetricBuilder("Node Control/Reboot", MetricDataType.Boolean, true)
                        .createMetric());
                await().atMost(Duration.ofSeconds(10)).until(() -> profile.badCommands() == 6);
                assertTrue(press.writes.isEmpty());

                host.command("DCMD/edge1/press01", new Metric.MetricBuilder(pressure, MetricDataType.Double, 3.5)
                        .createMetric());
                await().atMost(Duration.ofSeconds(10)).until(() -> press.writes.contains("pressure=3.5"));
                core.sink().publish(TagValue.good("press01", "pressure", 3.5));
                host.await(r -> r.verb().equals("DDATA"));
                assertEquals(6, profile.badCommands());
            }
        }
    }

    @Test
    void aRetainedCommandIsRefusedAndCountedNeverCarriedOut() throws Exception {
        String group = Nodes.group();
        String dcmd = "DCMD/edge1/press01";
        try (SparkplugHost host = new SparkplugHost(URL, group)) {
            // an order from before the node started, which the broker keeps and hands to every new subscription
            host.commandRetained(dcmd, new Metric.MetricBuilder("pressure", MetricDataType.Double, 9.5).createMetric());
            TestConnector press = EdgeNodeTest.press();
            try (CoreNode core = new CoreNode()) {
                core.add(press);
                EngineContext ctx = Nodes.context(dir, Nodes.config(URL, group), core, () -> null);
                SparkplugProfile profile = new SparkplugProfile(ctx);
                try (MqttUplink uplink = Nodes.start(dir, ctx, profile)) {
                    core.listen(uplink, "sp");
                    long pressure = host.await(r -> r.verb().equals("DBIRTH")).metric("pressure").getAlias();
                    await().atMost(Duration.ofSeconds(10)).until(() -> profile.badCommands() == 1);

                    host.command(dcmd, new Metric.MetricBuilder(pressure, MetricDataType.Double, 3.5).createMetric());
                    await().atMost(Duration.ofSeconds(10)).until(() -> press.writes.contains("pressure=3.5"));
                }
            } finally {
                host.publishRetained("spBv1.0/" + group + "/" + dcmd, "");
            }
            assertEquals(List.of("pressure=3.5"), press.writes, "the retained order was never written");
        }
    }

    /** A started Modbus connection, stopped with the test's resources. */
    private record Stopped(Connector connector) implements AutoCloseable {
        @Override
        public void close() {
            StandaloneModbus.close(connector);
        }
    }
}
