package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.TagValue;
import org.fogwerk.testing.Damage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The broker away while values keep coming at 10,000 values/s (5 s in the test run, 2 minutes with
 * -Pchaos): nothing missing, each stream in order, what waited out the outage flagged as replayed,
 * and the rate the backlog drains at.
 */
class OutageAtLoadTest {

    private static final int PER_TICK = 100; // every 10 ms: 10,000 values/s

    @TempDir
    Path dir;

    @Test
    void nothingMissingInOrderReplayFlagged() throws Exception {
        int outageSeconds = Damage.longForm() ? 120 : 5;
        AtomicLong next = new AtomicLong();
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir)) {
            TestSupport.Subscriber first = new TestSupport.Subscriber(broker.url(), "fogwerk/#", false, 1);
            TestSupport.Subscriber sub = first;
            try (MqttUplink uplink = TestSupport.connected("load", broker.url(), dir.resolve("out"),
                    "reconnect.min.ms", 200, "reconnect.max.ms", 1000)) {
                feeder.scheduleAtFixedRate(() -> {
                    List<TagValue> batch = new ArrayList<>(PER_TICK);
                    for (int i = 0; i < PER_TICK; i++) {
                        batch.add(TagValue.good("press01", "counter", next.getAndIncrement()));
                    }
                    uplink.submit(batch);
                }, 0, 10, TimeUnit.MILLISECONDS);
                await().atMost(Duration.ofSeconds(20)).until(() -> first.size() >= 20_000);

                first.close(); // its session stays on the broker and collects what comes after the outage
                broker.stop();
                long stoppedAt = next.get();
                await().pollDelay(Duration.ofSeconds(outageSeconds)).atMost(Duration.ofSeconds(outageSeconds + 5))
                        .until(() -> true);
                long backlog = uplink.status().outboxDepth();
                long restartedAt = next.get();
                broker.start();
                long t0 = System.nanoTime();
                sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", false, 1, first.clientId(),
                        first.snapshot());
                // live values keep flowing while the backlog drains
                await().atMost(Duration.ofSeconds(Math.max(60, outageSeconds * 2L)))
                        .until(() -> uplink.status().outboxDepth() < 20_000);
                double drainSeconds = (System.nanoTime() - t0) / 1e9;
                feeder.shutdown();
                feeder.awaitTermination(5, TimeUnit.SECONDS);
                long total = next.get();
                uplink.flush().toCompletableFuture().get(60, TimeUnit.SECONDS);
                TestSupport.Subscriber resumed = sub;
                await().atMost(Duration.ofSeconds(60)).until(() -> distinct(resumed.snapshot()) >= total);

                List<JsonNode> got = resumed.snapshot();
                OutageTest.assertOrderWithinStreams(got);
                BitSet seen = new BitSet();
                long replayed = 0;
                for (JsonNode m : got) {
                    int value = (int) m.get("value").asLong();
                    if (!seen.get(value)) {
                        seen.set(value);
                        replayed += m.path("replayed").asBoolean() ? 1 : 0;
                    }
                }
                assertEquals(total, seen.cardinality(), "0 missing");
                long fedWhileAway = restartedAt - stoppedAt;
                assertTrue(replayed >= fedWhileAway - 2000, replayed + " flagged as replayed of " + fedWhileAway
                        + " fed while the broker was away");
                LoggerFactory.getLogger(OutageAtLoadTest.class).info("Outage of {} s at 10,000 values/s: {} values, 0"
                        + " missing, {} duplicates, {} replayed, backlog {} drained (below 20,000) in {} s while live"
                        + " values kept coming, {} values/s drained", outageSeconds, total, got.size() - total,
                        replayed, backlog, String.format("%.1f", drainSeconds),
                        Math.round((backlog - 20_000 + 10_000 * drainSeconds) / drainSeconds));
            } finally {
                feeder.shutdownNow();
                sub.close();
            }
        }
    }

    private static long distinct(List<JsonNode> got) {
        return got.stream().mapToLong(m -> m.get("value").asLong()).distinct().count();
    }
}
