package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Against the machine's Mosquitto on 127.0.0.1:1883. */
class MqttUplinkTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    private final String node = "test-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void valuesArriveInOrderWithSequenceNumbersAndLeaveTheOutbox() throws Exception {
        try (TestSupport.Subscriber sub = new TestSupport.Subscriber(BROKER, "fogwerk/" + node + "/#");
                MqttUplink uplink = TestSupport.connected("u1", BROKER, dir.resolve("u1"), "node.id", node)) {
            int n = 2000;
            for (int i = 0; i < n; i += 100) {
                List<TagValue> batch = new ArrayList<>();
                for (int j = i; j < i + 100; j++) {
                    batch.add(TagValue.good("press01", j % 2 == 0 ? "counter" : "spindle.speed", (long) j));
                }
                uplink.onValues(batch);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sub.size() >= n);
            List<JsonNode> got = sub.snapshot();
            List<String> topics = sub.topicSnapshot();
            assertEquals(n, got.size());
            long prevSeq = 0;
            for (int i = 0; i < n; i++) {
                JsonNode m = got.get(i);
                assertEquals(i, m.get("value").asLong(), "value order at " + i);
                assertTrue(m.get("seq").asLong() > prevSeq, "seq increases");
                prevSeq = m.get("seq").asLong();
                assertEquals("press01", m.get("thing").asText());
                assertEquals("GOOD", m.get("quality").asText());
                assertEquals("fogwerk/" + node + "/press01/" + (i % 2 == 0 ? "counter" : "spindle.speed"), topics.get(i));
            }
            uplink.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, uplink.status().outboxDepth());
            assertEquals(n, uplink.status().sent());
            assertEquals(0, uplink.status().dropped());
        }
    }

    @Test
    void aHundredThousandValuesDrainThroughTheOutbox() throws Exception {
        try (MqttUplink uplink = TestSupport.connected("bulk", BROKER, dir.resolve("bulk"), "node.id", node)) {
            int n = 100_000;
            long start = System.nanoTime();
            List<TagValue> batch = new ArrayList<>(500);
            for (int i = 0; i < n; i++) {
                batch.add(TagValue.good("press01", "t" + (i % 1000), (double) i));
                if (batch.size() == 500) {
                    uplink.onValues(batch);
                    batch.clear();
                }
            }
            long appended = System.nanoTime();
            uplink.flush().toCompletableFuture().get(40, TimeUnit.SECONDS);
            long done = System.nanoTime();
            assertEquals(n, uplink.status().sent());
            assertEquals(0, uplink.status().outboxDepth());
            org.slf4j.LoggerFactory.getLogger(MqttUplinkTest.class).info(
                    "{} values: appended in {} ms, all acknowledged after {} ms ({} values/s end to end)", n,
                    TimeUnit.NANOSECONDS.toMillis(appended - start), TimeUnit.NANOSECONDS.toMillis(done - start),
                    n * 1_000_000_000L / (done - start));
        }
    }

    @Test
    void submitCompletesOnceOnDiskAndFiltersApply() throws Exception {
        try (TestSupport.Subscriber sub = new TestSupport.Subscriber(BROKER, "plant/" + node + "/#");
                MqttUplink uplink = TestSupport.uplink("u2", BROKER, dir.resolve("u2"), "node.id", node,
                        "topic.template", "plant/{node}/{connection}/{tag}", "include.tags", "temp*,press02/speed")) {
            uplink.submit(List.of(TagValue.good("press01", "temperature", 21.5), TagValue.good("press01", "speed", 7L),
                    TagValue.good("press02", "speed", 8L), TagValue.good("press02", "bits", new long[] {1, 2})))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.size() >= 2);
            uplink.flush().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(List.of("plant/" + node + "/press01/temperature", "plant/" + node + "/press02/speed"),
                    sub.topicSnapshot());
            assertEquals(21.5, sub.snapshot().get(0).get("value").asDouble());
        }
    }

    @Test
    void jsonBatchGroupsValuesPerThing() throws Exception {
        try (TestSupport.Subscriber sub = new TestSupport.Subscriber(BROKER, "fogwerk/" + node + "/#");
                MqttUplink uplink = TestSupport.uplink("u3", BROKER, dir.resolve("u3"), "node.id", node, "payload",
                        "json-batch", "batch.max.values", 10, "batch.linger.ms", 20)) {
            List<TagValue> values = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                values.add(TagValue.good("mill", "t" + i, (long) i));
            }
            uplink.onValues(values);
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.size() >= 3);
            List<JsonNode> got = sub.snapshot();
            assertEquals(3, got.size());
            assertEquals(List.of(10, 10, 5), List.of(got.get(0).get("values").size(), got.get(1).get("values").size(),
                    got.get(2).get("values").size()));
            assertEquals(24, got.get(2).get("values").get(4).get("value").asLong());
            assertEquals("fogwerk/" + node + "/mill/batch", sub.topicSnapshot().get(0));
            assertTrue(got.get(1).get("seq").asLong() > got.get(0).get("seq").asLong());
            assertEquals("seq", got.get(0).fieldNames().next(), "seq comes first");
        }
    }
}
