package org.fogwerk.uplink.sparkplug.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sparkplug.primary.host.id: births only while the host application is online; offline moves on. */
class PrimaryHostTest {

    @TempDir
    Path dir;

    @Test
    void birthsWaitForTheHostAndItsOfflineStateSendsTheNodeToTheNextServer() throws Exception {
        String group = Nodes.group();
        String state = "spBv1.0/STATE/scada";
        try (TestSupport.Mosquitto a = new TestSupport.Mosquitto(dir);
                TestSupport.Mosquitto b = new TestSupport.Mosquitto(dir);
                SparkplugHost hostA = new SparkplugHost(a.url(), group);
                SparkplugHost hostB = new SparkplugHost(b.url(), group);
                MqttUplink uplink = Nodes.start(dir, Nodes.config(a.url() + "," + b.url(), group,
                        "sparkplug.primary.host.id", "scada"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
            uplink.onValues(List.of(TagValue.good("press01", "counter", 1L)));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> hostA.size() == 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> uplink.status().outboxDepth() == 1);

            hostA.publishRetained(state, "{\"online\":true,\"timestamp\":1000}");
            SparkplugHost.Received nbirth = hostA.await(r -> r.verb().equals("NBIRTH"));
            assertEquals("NBIRTH", hostA.all().get(0).verb(), "nothing before the birth");
            SparkplugHost.Received ddata = hostA.await(r -> r.verb().equals("DDATA"));
            // stored while the node waited for the host: older than the births, so it is history
            assertTrue(Boolean.TRUE.equals(ddata.payload().getMetrics().get(0).isHistorical()));
            // the payload's timestamp is when it was published, not when it was stored
            assertTrue(!ddata.payload().getTimestamp().before(nbirth.payload().getTimestamp()),
                    ddata.payload().getTimestamp() + " before " + nbirth.payload().getTimestamp());
            uplink.onValues(List.of(TagValue.good("press01", "counter", 2L)));
            SparkplugHost.Received live = hostA.await(r -> r.verb().equals("DDATA") && r != ddata);
            assertFalse(Boolean.TRUE.equals(live.payload().getMetrics().get(0).isHistorical()), "a value after the births");

            hostA.publishRetained(state, "{\"online\":false,\"timestamp\":2000}");
            SparkplugHost.Received ndeath = hostA.await(r -> r.verb().equals("NDEATH"));
            assertEquals(nbirth.metric("bdSeq").getValue(), ndeath.metric("bdSeq").getValue());

            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
            hostB.publishRetained(state, "{\"online\":true,\"timestamp\":3000}");
            SparkplugHost.Received onB = hostB.await(r -> r.verb().equals("NBIRTH"));
            assertEquals((Long) nbirth.metric("bdSeq").getValue() + 1, onB.metric("bdSeq").getValue());
            hostA.publishRetained(state, "");
            hostB.publishRetained(state, "");
        }
    }
    @Test
    void aStateFromTheFutureIsIgnoredSoThatNoClientCanSilenceTheNode() throws Exception {
        String group = Nodes.group();
        String state = "spBv1.0/STATE/scada";
        try (TestSupport.Mosquitto a = new TestSupport.Mosquitto(dir); SparkplugHost host = new SparkplugHost(a.url(), group);
                MqttUplink uplink = Nodes.start(dir, Nodes.config(a.url(), group, "sparkplug.primary.host.id", "scada"))) {
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
                long now = System.currentTimeMillis();
                host.publishRetained(state, "{\"online\":true,\"timestamp\":" + now + "}");
                host.await(r -> r.verb().equals("NBIRTH"));
                // anyone who may publish on the host's topic, with a timestamp of the year 2100
                host.publishRetained(state, "{\"online\":false,\"timestamp\":4102444800000}");
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .until(() -> host.all().stream().noneMatch(r -> r.verb().equals("NDEATH")));
                // the host's own STATE of now still counts: it is not older than a forged one
                host.publishRetained(state, "{\"online\":false,\"timestamp\":" + (now + 1) + "}");
                host.await(r -> r.verb().equals("NDEATH"));
            } finally {
                host.publishRetained(state, "");
            }
        }
    }

    @Test
    void aHostOfflineBeforeTheBirthsIsWaitedForOnTheOneServer() throws Exception {
        String group = Nodes.group();
        String state = "spBv1.0/STATE/scada";
        try (TestSupport.Mosquitto a = new TestSupport.Mosquitto(dir); SparkplugHost host = new SparkplugHost(a.url(), group)) {
            host.publishRetained(state, "{\"online\":false,\"timestamp\":1000}");
            try (MqttUplink uplink = Nodes.start(dir, Nodes.config(a.url(), group, "sparkplug.primary.host.id", "scada"))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
                // the broker hands the offline STATE to every subscription: no session ends over it,
                // and no NDEATH buries a session that had no birth
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> host.size() == 0 && uplink.status().state() == UplinkState.CONNECTED);
                assertTrue(uplink.status().lastError().contains("data waits until the profile is ready"),
                        "the status says why nothing goes: " + uplink.status().lastError());
                host.publishRetained(state, "{\"online\":true,\"timestamp\":2000}");
                host.await(r -> r.verb().equals("NBIRTH"));
                assertEquals("NBIRTH", host.all().get(0).verb());
            } finally {
                host.publishRetained(state, "");
            }
        }
    }
}
