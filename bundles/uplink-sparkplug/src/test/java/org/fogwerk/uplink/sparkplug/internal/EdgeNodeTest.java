package org.fogwerk.uplink.sparkplug.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.uplink.mqtt.internal.TestConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge node as a host application on the real Mosquitto sees it. */
class EdgeNodeTest {

    static final String URL = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    static TagDefinition tag(String name, DataType type) {
        return new TagDefinition(name, name, type, Access.READ_WRITE, "", "", null, null, Map.of());
    }

    static TestConnector press() {
        return new TestConnector("press01", List.of(tag("pressure", DataType.DOUBLE), tag("count", DataType.UINT16),
                tag("running", DataType.BOOLEAN), tag("recipe", DataType.STRING), tag("temp", DataType.FLOAT),
                tag("total", DataType.INT64), tag("setpoint", DataType.INT32)));
    }

    static List<TagValue> pressValues() {
        return List.of(TagValue.good("press01", "pressure", 4.5), TagValue.good("press01", "count", 7L),
                TagValue.good("press01", "running", true), TagValue.good("press01", "recipe", "A7"),
                TagValue.good("press01", "temp", 21.5), TagValue.good("press01", "total", 1L << 40),
                TagValue.good("press01", "setpoint", -12L));
    }

    @Test
    void birthsListEveryMetricWithNameAliasDatatypeTimestampAndLatestValue() throws Exception {
        String group = Nodes.group();
        try (CoreNode core = Nodes.core(press()); SparkplugHost host = new SparkplugHost(URL, group)) {
            core.sink().publishAll(pressValues());
            await().atMost(Duration.ofSeconds(5)).until(() -> core.bus().latest("press01").size() == 7);
            try (MqttUplink uplink = Nodes.listening(dir, Nodes.config(URL, group), core)) {
                SparkplugHost.Received nbirth = host.await(r -> r.verb().equals("NBIRTH"));
                assertEquals("edge1", nbirth.node());
                assertEquals(0, nbirth.seq());
                Metric bdSeq = nbirth.metric("bdSeq");
                assertEquals(MetricDataType.Int64, bdSeq.getDataType());
                assertEquals(0L, bdSeq.getValue());
                Metric rebirth = nbirth.metric("Node Control/Rebirth");
                assertEquals(MetricDataType.Boolean, rebirth.getDataType());
                assertEquals(false, rebirth.getValue());
                assertNull(rebirth.getAlias(), "Node Control/Rebirth is never aliased");
                assertEquals("edge1", nbirth.metric("Node Info/Node").getValue(), "the edge node id, not the host name");

                SparkplugHost.Received dbirth = host.await(r -> r.verb().equals("DBIRTH"));
                assertEquals("press01", dbirth.device());
                assertEquals(1, dbirth.seq());
                assertEquals(7, dbirth.payload().getMetrics().size());
                Map<String, Object[]> expected = Map.of("pressure", new Object[] {MetricDataType.Double, 4.5},
                        "count", new Object[] {MetricDataType.UInt16, 7}, "running", new Object[] {MetricDataType.Boolean, true},
                        "recipe", new Object[] {MetricDataType.String, "A7"}, "temp", new Object[] {MetricDataType.Float, 21.5f},
                        "total", new Object[] {MetricDataType.Int64, 1L << 40},
                        "setpoint", new Object[] {MetricDataType.Int32, -12});
                Set<Long> aliases = new HashSet<>();
                for (Map.Entry<String, Object[]> e : expected.entrySet()) {
                    Metric m = dbirth.metric(e.getKey());
                    assertEquals(e.getValue()[0], m.getDataType(), e.getKey());
                    assertEquals(e.getValue()[1], m.getValue(), e.getKey());
                    assertNotNull(m.getTimestamp(), e.getKey());
                    assertNotNull(m.getAlias(), e.getKey());
                    assertTrue(aliases.add(m.getAlias()), "aliases are unique");
                }
                assertFalse(aliases.contains(nbirth.metric("Node Info/Node").getAlias()));

                core.sink().publish(TagValue.good("press01", "pressure", 5.25));
                SparkplugHost.Received ddata = host.await(r -> r.verb().equals("DDATA"));
                assertEquals(2, ddata.seq());
                Metric m = ddata.payload().getMetrics().get(0);
                assertNull(m.getName(), "data carries the alias only");
                assertEquals(dbirth.metric("pressure").getAlias(), m.getAlias());
                assertEquals(5.25, m.getValue());
                assertFalse(Boolean.TRUE.equals(m.isHistorical()));
            }
        }
    }

    @Test
    void aTagWhoseTypeTheConnectionHasNotLearntYetGetsItsMetricOnceTheTypeIsKnown() throws Exception {
        String group = Nodes.group();
        TestConnector press = new TestConnector("press01", List.of(new TagDefinition("pressure", "ns=2;s=p",
                DataType.STRING, Access.READ_WRITE, "", "", null, null, Map.of(TagDefinition.TYPE_UNKNOWN, "true")),
                tag("count", DataType.UINT16)));
        try (CoreNode core = Nodes.core(press); SparkplugHost host = new SparkplugHost(URL, group)) {
            // connected, the types not read yet: the values a connection sends before it has any
            core.sink().publishAll(List.of(TagValue.bad("press01", "pressure", "not read yet"),
                    TagValue.good("press01", "count", 7L)));
            await().atMost(Duration.ofSeconds(5)).until(() -> core.bus().latest("press01").size() == 2);
            try (MqttUplink uplink = Nodes.listening(dir, Nodes.config(URL, group, "sparkplug.birth.settle.ms", 500,
                    "sparkplug.device.check.ms", 100), core)) {
                SparkplugHost.Received first = host.await(r -> r.verb().equals("DBIRTH"));
                assertEquals(MetricDataType.UInt16, first.metric("count").getDataType());
                assertTrue(first.payload().getMetrics().stream().noneMatch(m -> "pressure".equals(m.getName())),
                        "no metric with a stand-in type, which it would keep for good");

                press.redefine(tag("pressure", DataType.DOUBLE));
                core.sink().publish(TagValue.good("press01", "pressure", 4.5));
                SparkplugHost.Received again = host.await(r -> r.verb().equals("DBIRTH")
                        && r.payload().getMetrics().stream().anyMatch(m -> "pressure".equals(m.getName())));
                assertEquals(MetricDataType.Double, again.metric("pressure").getDataType());
                long alias = again.metric("pressure").getAlias();
                host.await(r -> r.verb().equals("DDATA") && r.payload().getMetrics().stream()
                        .anyMatch(m -> m.getAlias() == alias && Double.valueOf(4.5).equals(m.getValue())));
            }
        }
    }

    @Test
    void liveDataListsItsMetricsInTheOrderOfTheirTimestamps() {
        List<TagValue> values = List.of(TagValue.good("c", "a", 1L, 2000, 2000), TagValue.good("c", "a", 2L, 3000, 3000),
                TagValue.good("c", "b", 3L, 2000, 2000), TagValue.good("c", "b", 4L, 1000, 1000));
        assertEquals(List.of(4L, 1L, 3L, 2L), MetricEncoder.chronological(values).stream().map(TagValue::value).toList());
        List<TagValue> inOrder = values.subList(0, 2);
        assertSame(inOrder, MetricEncoder.chronological(inOrder));
    }

    @Test
    void seqRunsFrom0To255AndWrapsOverThousandMessagesInSendOrder() throws Exception {
        String group = Nodes.group();
        try (SparkplugHost host = new SparkplugHost(URL, group);
                MqttUplink uplink = Nodes.start(dir, Nodes.config(URL, group, "batch.max.values", 1))) {
            host.await(r -> r.verb().equals("NBIRTH"));
            List<TagValue> values = new ArrayList<>();
            for (long i = 0; i < 1000; i++) {
                values.add(TagValue.good("press01", "counter", i));
            }
            uplink.onValues(values);
            await().atMost(Duration.ofSeconds(20)).until(() -> host.verb("DDATA").size() >= 1000);
            List<SparkplugHost.Received> all = host.all();
            assertEquals("NBIRTH", all.get(0).verb());
            assertEquals("DBIRTH", all.get(1).verb(), "a device first seen in data is born before its data");
            long expectedSeq = 0;
            long expectedValue = 0;
            for (SparkplugHost.Received r : all) {
                assertEquals(expectedSeq, r.seq(), "seq of " + r.topic());
                expectedSeq = (expectedSeq + 1) % 256;
                if (r.verb().equals("DDATA")) {
                    assertEquals(expectedValue++, r.payload().getMetrics().get(0).getValue());
                }
            }
            assertEquals(1000, expectedValue);
            assertEquals(1002, all.size());
        }
    }

    @Test
    void throughputOfDeviceDataToMosquitto() throws Exception {
        String group = Nodes.group();
        int total = 200_000;
        try (SparkplugHost host = new SparkplugHost(URL, group);
                MqttUplink uplink = Nodes.start(dir, Nodes.config(URL, group, "batch.max.values", 500,
                        "outbox.max.bytes", 512L * 1024 * 1024))) {
            host.await(r -> r.verb().equals("NBIRTH"));
            long start = System.nanoTime();
            for (int b = 0; b < total / 1000; b++) {
                List<TagValue> values = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    long v = (long) b * 1000 + i;
                    values.add(TagValue.good("line" + (i % 4), "counter", v));
                }
                uplink.onValues(values);
            }
            uplink.flush().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            await().atMost(Duration.ofSeconds(30)).until(() -> host.verb("DDATA").stream()
                    .mapToInt(r -> r.payload().getMetrics().size()).sum() >= total);
            double perSecond = total / (elapsed / 1e9);
            org.slf4j.LoggerFactory.getLogger(EdgeNodeTest.class).info(
                    "Sparkplug DDATA: {} values in {} ms = {} values/s ({} messages)", total, elapsed / 1_000_000,
                    Math.round(perSecond), host.verb("DDATA").size());
            assertTrue(perSecond > 10_000, perSecond + " values/s");
        }
    }

    @Test
    void bdSeqGoesUpWithEachSessionAndTheCleanDisconnectPublishesNdeath() throws Exception {
        String group = Nodes.group();
        Map<String, Object> config;
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir)) {
            config = Nodes.config(broker.url(), group);
            SparkplugHost second;
            try (SparkplugHost first = new SparkplugHost(broker.url(), group);
                    MqttUplink uplink = Nodes.start(dir, config)) {
                assertEquals(0L, first.await(r -> r.verb().equals("NBIRTH")).metric("bdSeq").getValue());
                broker.stop();
                broker.start();
                second = new SparkplugHost(broker.url(), group);
                // the new session's births may have gone out before this host subscribed: ask again
                await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state()
                        == org.fogwerk.api.uplink.UplinkState.CONNECTED);
                second.rebirth("edge1");
                SparkplugHost.Received nbirth = second.await(r -> r.verb().equals("NBIRTH"));
                assertEquals(1L, nbirth.metric("bdSeq").getValue(), "one more per CONNECT that got a session");
                assertEquals(0, nbirth.seq());
            }
            try (SparkplugHost host = second) {
                SparkplugHost.Received ndeath = host.await(r -> r.verb().equals("NDEATH"));
                assertEquals(1L, ndeath.metric("bdSeq").getValue());
                assertNull(ndeath.payload().getSeq(), "NDEATH carries no seq");
                assertEquals(1, ndeath.payload().getMetrics().size());
                int from = host.size();
                try (MqttUplink again = Nodes.start(dir, config)) {
                    assertEquals(2L, host.await(from, r -> r.verb().equals("NBIRTH")).metric("bdSeq").getValue(),
                            "bdSeq continues after a restart");
                }
            }
        }
    }

    @Test
    void rebirthRequestRepublishesNodeAndDeviceBirthsWithTheSameBdSeq() throws Exception {
        String group = Nodes.group();
        try (CoreNode core = Nodes.core(press()); SparkplugHost host = new SparkplugHost(URL, group)) {
            try (MqttUplink uplink = Nodes.listening(dir, Nodes.config(URL, group), core)) {
                SparkplugHost.Received first = host.await(r -> r.verb().equals("NBIRTH"));
                host.await(r -> r.verb().equals("DBIRTH"));
                core.sink().publish(TagValue.good("press01", "pressure", 1.0));
                host.await(r -> r.verb().equals("DDATA"));
                int from = host.size();
                host.rebirth("edge1");
                SparkplugHost.Received again = host.await(from, r -> r.verb().equals("NBIRTH"));
                assertEquals(0, again.seq());
                assertEquals(first.metric("bdSeq").getValue(), again.metric("bdSeq").getValue());
                SparkplugHost.Received dbirth = host.await(from, r -> r.verb().equals("DBIRTH"));
                assertEquals(1, dbirth.seq());
                assertEquals(1.0, dbirth.metric("pressure").getValue(), "the birth has the latest value");
                core.sink().publish(TagValue.good("press01", "pressure", 2.0));
                SparkplugHost.Received data = host.await(from, r -> r.verb().equals("DDATA"));
                assertEquals(2, data.seq());
                assertEquals(2.0, data.payload().getMetrics().get(0).getValue());
            }
        }
    }

    @Test
    void connectionDownIsDdeathAndBackIsDbirth() throws Exception {
        String group = Nodes.group();
        TestConnector press = press();
        try (CoreNode core = Nodes.core(press); SparkplugHost host = new SparkplugHost(URL, group)) {
            core.sink().publishAll(pressValues());
            try (MqttUplink uplink = Nodes.listening(dir, Nodes.config(URL, group, "sparkplug.device.check.ms", 100),
                    core)) {
                host.await(r -> r.verb().equals("DBIRTH"));
                int from = host.size();
                press.state(ConnectorState.DISCONNECTED);
                SparkplugHost.Received death = host.await(from, r -> r.verb().equals("DDEATH"));
                assertEquals("press01", death.device());
                int dead = host.all().indexOf(death);
                // the node turns every tag of the lost connection BAD: the host gets them before the
                // DDEATH, each without a value and Quality 0, or not at all once the device is dead,
                // which is never born again for them
                await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> host.all()
                        .subList(dead + 1, host.size()).stream().noneMatch(r -> "press01".equals(r.device())));
                for (SparkplugHost.Received stale : host.all().subList(from, dead)) {
                    for (Metric m : stale.payload().getMetrics()) {
                        assertTrue(m.getIsNull());
                        assertEquals(0, m.getProperties().getPropertyValue("Quality").getValue());
                    }
                }
                SparkplugHost.Received lastDeath = death;
                int back = host.size();
                press.state(ConnectorState.CONNECTED);
                SparkplugHost.Received birth = host.await(back, r -> r.verb().equals("DBIRTH"));
                assertEquals((lastDeath.seq() + 1) % 256, birth.seq(), "seq runs on without gaps");
                assertEquals(7, birth.payload().getMetrics().size());
                List<SparkplugHost.Received> all = host.all();
                for (int i = from + 1; i < all.size(); i++) {
                    assertEquals((all.get(i - 1).seq() + 1) % 256, all.get(i).seq(), "seq of " + all.get(i).topic());
                }
            }
        }
    }

    @Test
    void aDeviceWhoseTagsArriveOneByOneAtStartIsBornOnceWithAllOfThem() throws Exception {
        String group = Nodes.group();
        TestConnector press = press();
        press.state(ConnectorState.CONNECTING);
        ScheduledExecutorService machine = Executors.newSingleThreadScheduledExecutor();
        try (CoreNode core = Nodes.core(press); SparkplugHost host = new SparkplugHost(URL, group)) {
            try (MqttUplink uplink = Nodes.listening(dir, Nodes.config(URL, group, "sparkplug.device.check.ms", 100),
                    core)) {
                host.await(r -> r.verb().equals("NBIRTH"));
                // the values come in one by one while the connection is still connecting, as at a node's start
                List<TagValue> values = pressValues();
                for (int i = 0; i < values.size(); i++) {
                    TagValue v = values.get(i);
                    machine.schedule(() -> core.sink().publish(v), 150L * i, TimeUnit.MILLISECONDS);
                }
                machine.schedule(() -> press.state(ConnectorState.CONNECTED), 450, TimeUnit.MILLISECONDS);

                SparkplugHost.Received birth = host.await(r -> r.verb().equals("DBIRTH"));
                assertEquals(7, birth.payload().getMetrics().size());
                for (Metric m : birth.payload().getMetrics()) {
                    assertNotNull(m.getValue(), m.getName() + " has its value in the one birth");
                }
                core.sink().publish(TagValue.good("press01", "pressure", 9.5));
                host.await(r -> r.verb().equals("DDATA") && r.payload().getMetrics().stream()
                        .anyMatch(m -> Double.valueOf(9.5).equals(m.getValue())));
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                        .until(() -> host.verb("DBIRTH").size() == 1);
                assertEquals(List.of(), host.verb("DDEATH"));
            }
        } finally {
            machine.shutdownNow();
        }
    }

    @Test
    void aTagAddedAfterTheBirthBringsANewDbirthBeforeItsData() throws Exception {
        String group = Nodes.group();
        TestConnector press = press();
        try (CoreNode core = Nodes.core(press); SparkplugHost host = new SparkplugHost(URL, group)) {
            try (MqttUplink uplink = Nodes.listening(dir, Nodes.config(URL, group, "sparkplug.device.check.ms",
                    60_000), core)) {
                host.await(r -> r.verb().equals("DBIRTH"));
                int from = host.size();
                press.addTag(tag("oilLevel", DataType.UINT32));
                core.sink().publish(TagValue.good("press01", "oilLevel", 3_000_000_000L));
                SparkplugHost.Received birth = host.await(from, r -> r.verb().equals("DBIRTH"));
                Metric oil = birth.metric("oilLevel");
                assertEquals(MetricDataType.UInt32, oil.getDataType());
                SparkplugHost.Received data = host.await(from, r -> r.verb().equals("DDATA"));
                assertTrue(data.seq() == birth.seq() + 1, "the DBIRTH comes right before the data");
                assertEquals(oil.getAlias(), data.payload().getMetrics().get(0).getAlias());
                assertEquals(3_000_000_000L, data.payload().getMetrics().get(0).getValue());
            }
        }
    }

    @Test
    void valuesThatWaitedOutAnOutageAreHistorical() throws Exception {
        String group = Nodes.group();
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir)) {
            String hostId = "sp-host-" + group;
            SparkplugHost first = new SparkplugHost(broker.url(), group, hostId, false, null);
            try (MqttUplink uplink = Nodes.start(dir, Nodes.config(broker.url(), group))) {
                first.await(r -> r.verb().equals("NBIRTH"));
                uplink.onValues(List.of(TagValue.good("press01", "counter", 1L)));
                assertFalse(Boolean.TRUE.equals(first.await(r -> r.verb().equals("DDATA")).payload().getMetrics().get(0)
                        .isHistorical()));
                first.close();
                broker.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state()
                        != org.fogwerk.api.uplink.UplinkState.CONNECTED);
                List<TagValue> waiting = new ArrayList<>();
                for (long i = 2; i <= 11; i++) {
                    waiting.add(TagValue.good("press01", "counter", i));
                }
                uplink.onValues(waiting);
                await().atMost(Duration.ofSeconds(5)).until(() -> uplink.status().outboxDepth() > 0);
                broker.start();
                try (SparkplugHost second = new SparkplugHost(broker.url(), group, hostId, false, first)) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> second.verb("DDATA").stream()
                            .mapToInt(r -> r.payload().getMetrics().size()).sum() >= 10);
                    uplink.onValues(List.of(TagValue.good("press01", "counter", 12L)));
                    await().atMost(Duration.ofSeconds(20)).until(() -> second.verb("DDATA").stream()
                            .mapToInt(r -> r.payload().getMetrics().size()).sum() >= 11);
                    for (SparkplugHost.Received r : second.verb("DDATA")) {
                        for (Metric m : r.payload().getMetrics()) {
                            long v = (Long) m.getValue();
                            assertEquals(v <= 11, Boolean.TRUE.equals(m.isHistorical()), "value " + v);
                        }
                    }
                }
            }
        }
    }
    @Test
    void storedDataKeepsItsAliasesAcrossARestart() throws Exception {
        String group = Nodes.group();
        int nobody = TestSupport.freePort();
        try (MqttUplink away = Nodes.start(dir, Nodes.config("tcp://127.0.0.1:" + nobody, group))) {
            away.submit(List.of(TagValue.good("press01", "counter", 1L), TagValue.good("press01", "speed", 2.5)))
                    .toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir);
                SparkplugHost host = new SparkplugHost(broker.url(), group);
                MqttUplink uplink = Nodes.start(dir, Nodes.config(broker.url(), group))) {
            SparkplugHost.Received data = host.await(r -> r.verb().equals("DDATA"));
            SparkplugHost.Received birth = host.verb("DBIRTH").get(0);
            assertEquals(data.seq() - 1, birth.seq());
            List<Metric> metrics = data.payload().getMetrics();
            assertEquals(birth.metric("counter").getAlias(), metrics.get(0).getAlias());
            assertEquals(1L, metrics.get(0).getValue());
            assertEquals(birth.metric("speed").getAlias(), metrics.get(1).getAlias());
            assertEquals(2.5, metrics.get(1).getValue());
            assertTrue(metrics.get(0).isHistorical());
        }
    }
}
