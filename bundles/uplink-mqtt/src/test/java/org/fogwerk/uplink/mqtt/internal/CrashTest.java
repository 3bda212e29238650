package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** kill -9 of the node mid-stream: every accepted value still reaches the subscriber. */
class CrashTest {

    @TempDir
    Path dir;

    @Test
    void nothingAcceptedIsLostWhenTheNodeIsKilled() throws Exception {
        Path data = dir.resolve("outbox");
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir);
                TestSupport.Subscriber sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", true, 1)) {
            AtomicLong accepted = new AtomicLong(-1);
            try (ChildJvm child = ChildJvm.start(dir.resolve("child.log"), CrashFeeder.class, data.toString(),
                    broker.url())) {
                child.readInBackground(line -> {
                    if (line.startsWith("accepted ")) {
                        accepted.set(Long.parseLong(line.substring(9)));
                    }
                });
                // mid-stream: values accepted, some of them already at the subscriber, more coming
                await().atMost(Duration.ofSeconds(20)).until(() -> accepted.get() >= 20_000 && sub.size() > 1000);
            }
            long lastAccepted = accepted.get();
            assertTrue(lastAccepted >= 20_000);

            try (MqttUplink restarted = TestSupport.uplink("crash", broker.url(), data)) {
                long backlog = restarted.status().outboxDepth();
                restarted.flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(20)).until(() -> distinctUpTo(sub.snapshot(), lastAccepted) > lastAccepted);
                List<JsonNode> got = sub.snapshot();
                Map<Long, Long> seqOfValue = new HashMap<>();
                for (JsonNode m : got) {
                    Long earlier = seqOfValue.putIfAbsent(m.get("value").asLong(), m.get("seq").asLong());
                    if (earlier != null) {
                        assertEquals(earlier, m.get("seq").asLong(), "a duplicate carries the same seq");
                    }
                }
                for (long v = 0; v <= lastAccepted; v++) {
                    assertTrue(seqOfValue.containsKey(v), "accepted value " + v + " missing");
                }
                long duplicates = got.size() - seqOfValue.size();
                // in-flight window (1000) plus acknowledgements not yet committed when killed
                assertTrue(duplicates <= 2000, duplicates + " duplicates");
                org.slf4j.LoggerFactory.getLogger(CrashTest.class).info(
                        "Killed after {} accepted values; {} waited in the outbox; {} received, {} duplicates",
                        lastAccepted + 1, backlog, got.size(), duplicates);
            }
        }
    }

    private static long distinctUpTo(List<JsonNode> got, long last) {
        return got.stream().mapToLong(m -> m.get("value").asLong()).filter(v -> v <= last).distinct().count();
    }
}
