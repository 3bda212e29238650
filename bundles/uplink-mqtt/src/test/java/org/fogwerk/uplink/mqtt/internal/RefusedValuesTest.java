package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.UplinkState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Values the uplink refuses are counted and leave a gap a consumer can see. */
class RefusedValuesTest {

    @TempDir
    Path dir;

    @Test
    void valuesRefusedByAFullOutboxAreCountedAndMarkedOnTheTopicsNextMessage() throws Exception {
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir)) {
            broker.stop();
            try (MqttUplink uplink = TestSupport.uplink("gap", broker.url(), dir.resolve("gap"), "reconnect.min.ms",
                    100, "reconnect.max.ms", 200, "outbox.max.messages", 100, "outbox.full.policy", "refuse")) {
                feed(uplink, "press01", 0, 100);
                feed(uplink, "press01", 100, 50); // refused
                feed(uplink, "press02", 0, 3); // refused, on another topic
                assertEquals(53, uplink.status().refused());
                assertTrue(uplink.status().lastError().contains("53 values refused"), uplink.status().lastError());

                broker.start();
                try (TestSupport.Subscriber sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", true, 1)) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> uplink.status().outboxDepth() == 0);
                    feed(uplink, "press01", 150, 2);
                    feed(uplink, "press02", 3, 1);
                    await().atMost(Duration.ofSeconds(10)).until(() -> sub.snapshot().stream()
                            .filter(m -> m.get("value").asLong() >= 150 || m.get("connection").asText()
                                    .equals("press02")).count() >= 3);
                    List<JsonNode> got = sub.snapshot();
                    JsonNode after = find(got, "press01", 150);
                    assertEquals(50, after.get("gap").asLong(), "50 values of this topic were refused before it: "
                            + after);
                    assertFalse(find(got, "press01", 151).has("gap"), "the gap is marked once");
                    assertEquals(3, find(got, "press02", 3).get("gap").asLong());
                    assertEquals(53, uplink.status().refused());
                }
            }
        }
    }

    @Test
    void aMessageLargerThanTheBrokerTakesIsRefusedNotSent() throws Exception {
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir);
                TestSupport.Subscriber sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", true, 1);
                MqttUplink uplink = TestSupport.connected("big", broker.url(), dir.resolve("big"), "max.packet.bytes",
                        2048)) {
            assertThrows(java.util.concurrent.ExecutionException.class, () -> uplink.submit(
                    List.of(TagValue.good("press01", "text", "x".repeat(4000)))).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS));
            uplink.submit(List.of(TagValue.good("press01", "text", "short"))).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.size() >= 1);
            JsonNode m = sub.snapshot().get(0);
            assertEquals("short", m.get("value").asText());
            assertEquals(1, m.get("gap").asLong());
            assertEquals(1, uplink.status().refused());
            assertTrue(uplink.status().lastError().contains("max.packet.bytes 2048"), uplink.status().lastError());
            assertEquals(UplinkState.CONNECTED, uplink.status().state(), "the connection stays up");
        }
    }

    @Test
    void aBatchLimitAboveThePacketLimitIsABadConfiguration() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> settings("b", map("broker.urls",
                "tcp://127.0.0.1:1883", "payload", "json-batch", "max.packet.bytes", 8192)));
        assertTrue(e.getMessage().contains("batch.max.bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("max.packet.bytes 8192"), e.getMessage());
    }

    private static JsonNode find(List<JsonNode> got, String connection, long value) {
        return got.stream().filter(m -> m.get("connection").asText().equals(connection)
                && m.get("value").asLong() == value).findFirst()
                .orElseThrow(() -> new AssertionError(connection + " " + value + " not in " + got));
    }

    private static void feed(MqttUplink uplink, String connection, long from, int count) {
        List<TagValue> values = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            values.add(TagValue.good(connection, "counter", i));
        }
        uplink.onValues(values);
    }
}
