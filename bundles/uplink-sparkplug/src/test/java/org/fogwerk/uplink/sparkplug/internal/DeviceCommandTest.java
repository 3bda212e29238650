package org.fogwerk.uplink.sparkplug.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.uplink.mqtt.internal.TestConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** A press with shadows behind a Sparkplug uplink, and a host application on the broker. */
    private final class PressNode implements AutoCloseable {
        final String group = Nodes.group();
        final RecordingShadowStore shadows = new RecordingShadowStore();
        final CoreNode core = new CoreNode();
        final SparkplugHost host;
        final TestConnector press = EdgeNodeTest.press();
        final SparkplugProfile profile;
        final MqttUplink uplink;

        PressNode() throws Exception {
            host = new SparkplugHost(URL, group);
            core.add(press);
            EngineContext ctx = Nodes.context(dir, Nodes.config(URL, group), core, () -> shadows);
            profile = new SparkplugProfile(ctx);
            uplink = Nodes.start(dir, ctx, profile);
        }

        /** The refusals in the audit trail: thing, then code and reason. */
        List<String> refused() {
            return core.audit.events().stream().filter(e -> e.outcome().equals("refused"))
                    .map(e -> e.thing() + " " + e.detail()).toList();
        }

        @Override
        public void close() throws Exception {
            uplink.close();
            host.close();
            core.close();
        }
    }

    @Test
    void dcmdOnAFieldOfAThingBecomesDesiredState() throws Exception {
        try (PressNode node = new PressNode()) {
            Metric setpoint = node.host.await(r -> r.verb().equals("DBIRTH")).metric("setpoint");
            node.host.command("DCMD/edge1/press01", new Metric.MetricBuilder(setpoint.getAlias(), MetricDataType.Int32, 250)
                    .createMetric());
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.shadows.writes.isEmpty());
            ShadowUpdate u = node.shadows.updates().get(0);
            assertEquals(Map.of("setpoint", 250L), u.desired());
            assertEquals(List.of("press01"), node.shadows.updatedThings());
            assertTrue(node.press.writes.isEmpty(), "the node's command path writes the tag, not the uplink");
        }
    }

    @Test
    void aDcmdIsCarriedOutWholeOrNotAtAll() throws Exception {
        try (PressNode node = new PressNode()) {
            SparkplugHost.Received birth = node.host.await(r -> r.verb().equals("DBIRTH"));
            long setpoint = birth.metric("setpoint").getAlias();
            long pressure = birth.metric("pressure").getAlias();

            // a recipe of two values, the second of the wrong type: not even the first is ordered
            node.host.command("DCMD/edge1/press01",
                    new Metric.MetricBuilder(setpoint, MetricDataType.Int32, 250).createMetric(),
                    new Metric.MetricBuilder(pressure, MetricDataType.Boolean, true).createMetric());
            await().atMost(Duration.ofSeconds(10)).until(() -> node.profile.badCommands() == 1);
            // a DCMD for a device this edge node does not have
            node.host.command("DCMD/edge1/nosuchdevice", new Metric.MetricBuilder("setpoint", MetricDataType.Int32, 1)
                    .createMetric());
            await().atMost(Duration.ofSeconds(10)).until(() -> node.profile.badCommands() == 2);
            assertTrue(node.shadows.writes.isEmpty(), "nothing of a refused DCMD is ordered");
            assertTrue(node.press.writes.isEmpty());
            List<String> refused = node.refused();
            assertEquals(2, refused.size(), refused.toString());
            assertTrue(refused.get(0).startsWith("press01 400 pressure: "), refused.get(0));
            assertTrue(refused.get(1).startsWith("nosuchdevice 404 no device nosuchdevice"), refused.get(1));

            // a name and the alias of another metric (a host with an old alias map): neither is written
            node.host.command("DCMD/edge1/press01", new Metric.MetricBuilder("setpoint", MetricDataType.Double, 2.5)
                    .alias(pressure).createMetric());
            await().atMost(Duration.ofSeconds(10)).until(() -> node.profile.badCommands() == 3);
            assertTrue(node.shadows.writes.isEmpty() && node.press.writes.isEmpty());
            assertTrue(node.refused().get(2).startsWith("press01 400 alias " + pressure + " is metric pressure, not setpoint"),
                    node.refused().get(2));

            // both values of a good one are one update of the thing's shadow
            node.host.command("DCMD/edge1/press01",
                    new Metric.MetricBuilder(setpoint, MetricDataType.Int32, 250).createMetric(),
                    new Metric.MetricBuilder(pressure, MetricDataType.Double, 3.5).createMetric());
            await().atMost(Duration.ofSeconds(10)).until(() -> !node.shadows.writes.isEmpty());
            assertEquals(List.of(Map.of("setpoint", 250L, "pressure", 3.5)),
                    node.shadows.updates().stream().map(ShadowUpdate::desired).toList());
        }
    }

    @Test
    void aDeviceNamedAfterAConnectionCannotWriteATagAThingMaps() throws Exception {
        // a device an earlier version of the node sent values of press01 under, kept in the alias table
        Path aliases = dir.resolve("profile/aliases.tsv");
        Files.createDirectories(aliases.getParent());
        Files.writeString(aliases, "conn-press\tsetpoint\t900\t3\tpress01\tsetpoint\n");
        try (PressNode node = new PressNode()) {
            node.host.await(r -> r.verb().equals("DBIRTH"));
            node.host.command("DCMD/edge1/conn-press", new Metric.MetricBuilder(900L, MetricDataType.Int32, 4711)
                    .createMetric());
            await().atMost(Duration.ofSeconds(10)).until(() -> node.profile.badCommands() == 1);
            assertTrue(node.press.writes.isEmpty(), "a thing's field is written through its shadow only");
            assertTrue(node.shadows.writes.isEmpty());
            String refused = node.refused().get(0);
            assertTrue(refused.contains("press01/setpoint is field setpoint of thing press01; send the DCMD to device press01"),
                    refused);
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
