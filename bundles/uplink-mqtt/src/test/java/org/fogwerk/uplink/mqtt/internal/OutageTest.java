package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.UplinkState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** A broker of our own, stopped and restarted; outbox limits while it is away. */
class OutageTest {

    @TempDir
    Path dir;

    @Test
    void brokerStoppedAndRestartedEverythingArrivesInOrderReplayMarked() throws Exception {
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir)) {
            TestSupport.Subscriber first = new TestSupport.Subscriber(broker.url(), "fogwerk/#", false, 1);
            TestSupport.Subscriber sub = first;
            try (MqttUplink uplink = TestSupport.connected("out", broker.url(), dir.resolve("out"), "reconnect.min.ms",
                    100, "reconnect.max.ms", 400)) {
                long v = 0;
                v = feed(uplink, v, 500);
                await().atMost(Duration.ofSeconds(10)).until(() -> first.size() >= 500);

                first.close(); // its session stays on the broker and collects what comes while it is away
                broker.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() != UplinkState.CONNECTED);
                v = feed(uplink, v, 3000);
                await().atMost(Duration.ofSeconds(5)).until(() -> uplink.status().outboxDepth() >= 3000);
                assertTrue(uplink.status().oldestUnsent().toMillis() >= 0);
                assertEquals(500, uplink.status().sent());

                broker.start();
                sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", false, 1, first.clientId(), first.snapshot());
                // live values keep flowing while the backlog drains
                for (int i = 0; i < 10; i++) {
                    v = feed(uplink, v, 100);
                }
                long total = v;
                uplink.flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
                TestSupport.Subscriber resumed = sub;
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> distinct(resumed.snapshot()) >= total);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    List<JsonNode> got = resumed.snapshot();
                    throw new AssertionError("got " + got.size() + " messages, " + distinct(got) + " distinct of "
                            + total + "; missing " + missing(got, total) + "; last " + (got.isEmpty() ? "-" : got.get(got.size() - 1)), e);
                }

                List<JsonNode> got = resumed.snapshot();
                // live values may overtake the replay; each stream keeps its own order
                assertOrderWithinStreams(got);
                long expected = 0;
                int replayedSeen = 0;
                java.util.BitSet seen = new java.util.BitSet();
                for (JsonNode m : got) {
                    int value = (int) m.get("value").asLong();
                    if (seen.get(value)) {
                        continue; // a duplicate re-sent after the reconnect
                    }
                    seen.set(value);
                    boolean replay = m.has("replayed") && m.get("replayed").asBoolean();
                    if (value < 500) {
                        assertFalse(replay, "sent live before the outage: " + m);
                    } else if (value < 3500) {
                        assertTrue(replay, "waited out the outage: " + m);
                        replayedSeen++;
                    }
                    expected++;
                }
                assertEquals(total, expected);
                assertEquals(3000, replayedSeen);
                assertTrue(got.size() - total <= 1000, "duplicates only within the in-flight window");
                assertTrue(uplink.status().replayed() >= 3000);
                assertEquals(0, uplink.status().outboxDepth());
            } finally {
                sub.close();
            }
        }
    }

    @Test
    void fullOutboxDropsOldestAndCounts() throws Exception {
        int port = TestSupport.freePort(); // nobody listens
        try (MqttUplink uplink = TestSupport.uplink("drop", "tcp://127.0.0.1:" + port, dir.resolve("drop"),
                "outbox.max.messages", 100, "outbox.full.policy", "drop-oldest")) {
            feed(uplink, 0, 250);
            uplink.submit(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> uplink.status().state() == UplinkState.DISCONNECTED);
            assertEquals(100, uplink.status().outboxDepth());
            assertEquals(150, uplink.status().dropped());
            assertFalse(uplink.status().lastError().isEmpty());
        }
    }

    @Test
    void fullOutboxRefusesNewValuesAndSubmitFails() throws Exception {
        int port = TestSupport.freePort();
        try (MqttUplink uplink = TestSupport.uplink("refuse", "tcp://127.0.0.1:" + port, dir.resolve("refuse"),
                "outbox.max.messages", 100, "outbox.full.policy", "refuse")) {
            long v = feed(uplink, 0, 100);
            ExecutionException e = assertThrows(ExecutionException.class, () -> uplink.submit(
                    List.of(TagValue.good("c", "t", 1L))).toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("outbox full"), e.getCause().getMessage());
            feed(uplink, v, 50);
            assertEquals(100, uplink.status().outboxDepth());
            assertEquals(0, uplink.status().dropped());
            assertEquals(51, uplink.refused());
            assertTrue(uplink.status().lastError().contains("51 values refused"), uplink.status().lastError());
        }
    }

    @Test
    void backlogSurvivesARestartOfTheUplink() throws Exception {
        int port = TestSupport.freePort();
        UplinkSettings away = settings("keep", map("broker.urls", "tcp://127.0.0.1:" + port));
        try (MqttUplink uplink = new MqttUplink(away, dir.resolve("keep"), () -> null, TestSupport.THING_IS_CONNECTION)) {
            feed(uplink, 0, 300);
            uplink.submit(List.of()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir);
                TestSupport.Subscriber sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", true, 1);
                MqttUplink uplink = TestSupport.uplink("keep", broker.url(), dir.resolve("keep"))) {
            assertEquals(300, uplink.status().outboxDepth());
            feed(uplink, 300, 10);
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.size() >= 310);
            List<JsonNode> got = sub.snapshot();
            assertOrderWithinStreams(got);
            for (JsonNode m : got) {
                long value = m.get("value").asLong();
                assertEquals(value + 1, m.get("seq").asLong(), "sequence continues across restarts");
                if (value < 300) {
                    assertTrue(m.has("replayed"), "the backlog is marked: " + m);
                }
            }
        }
    }

    @Test
    void badCredentialsFailWithTheBrokersAnswerAndValuesWait() throws Exception {
        Path passwords = dir.resolve("passwd");
        Process p = new ProcessBuilder("mosquitto_passwd", "-c", "-b", passwords.toString(), "fogwerk", "right")
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor());
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir, "allow_anonymous false",
                "password_file " + passwords);
                MqttUplink uplink = TestSupport.uplink("creds", broker.url(), dir.resolve("creds"), "username",
                        "fogwerk", ".password", "wrong")) {
            feed(uplink, 0, 10);
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.FAILED);
            assertTrue(uplink.status().lastError().contains("authori"), uplink.status().lastError());
            await().atMost(Duration.ofSeconds(5)).until(() -> uplink.status().outboxDepth() == 10);
        }
    }

    @Test
    void liveValuesGetThroughWhileTheBacklogDrains() throws Exception {
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir);
                MqttUplink uplink = TestSupport.connected("live", broker.url(), dir.resolve("live"),
                        "reconnect.min.ms", 100, "reconnect.max.ms", 200)) {
            broker.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() != UplinkState.CONNECTED);
            int backlog = 30_000;
            feed(uplink, 0, backlog);
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().outboxDepth() >= backlog);

            broker.start();
            try (TestSupport.Subscriber sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", true, 1)) {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> uplink.status().state() == UplinkState.CONNECTED);
                long started = System.nanoTime();
                List<TagValue> live = new ArrayList<>();
                for (long i = 0; i < 20; i++) {
                    live.add(TagValue.good("press02", "live", i));
                }
                uplink.submit(live).toCompletableFuture().get(5, TimeUnit.SECONDS);
                uplink.flush().toCompletableFuture().get(60, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(20)).until(() -> sub.topicSnapshot().stream()
                        .filter(t -> t.endsWith("/press02/live")).count() >= 20);
                List<JsonNode> got = sub.snapshot();
                List<String> topics = sub.topicSnapshot();
                int firstLive = -1;
                int lastReplayed = -1;
                for (int i = 0; i < got.size(); i++) {
                    if (topics.get(i).endsWith("/press02/live")) {
                        assertFalse(got.get(i).has("replayed"), "live, not replayed: " + got.get(i));
                        firstLive = firstLive < 0 ? i : firstLive;
                    } else if (got.get(i).has("replayed")) {
                        lastReplayed = i;
                    }
                }
                LoggerFactoryHolder.LOG.info("backlog of {} drained in {} ms; first live value arrived as message {}"
                        + " of {}", backlog, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), firstLive,
                        got.size());
                assertTrue(firstLive >= 0 && firstLive < lastReplayed, "a live value arrived before the backlog"
                        + " was through: first live at " + firstLive + ", last replayed at " + lastReplayed);
                assertOrderWithinStreams(got);
            }
        }
    }

    /** The first arrival of every value, in order within the replayed and within the live messages of a topic. */
    static void assertOrderWithinStreams(List<JsonNode> got) {
        java.util.Map<String, Long> lastSeq = new java.util.HashMap<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (JsonNode m : got) {
            long seq = m.get("seq").asLong();
            if (!seen.add(seq)) {
                continue; // a duplicate re-sent after the reconnect
            }
            String stream = (m.has("replayed") ? "replay " : "live ") + m.path("tag").asText();
            Long before = lastSeq.put(stream, seq);
            assertTrue(before == null || before < seq, stream + ": seq " + seq + " after " + before);
        }
    }

    private static final class LoggerFactoryHolder {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutageTest.class);
    }

    private static long feed(MqttUplink uplink, long from, int count) {
        List<TagValue> values = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            values.add(TagValue.good("press01", "counter", i));
        }
        uplink.onValues(values);
        return from + count;
    }

    private static String missing(List<JsonNode> got, long total) {
        java.util.BitSet seen = new java.util.BitSet();
        got.forEach(m -> seen.set((int) m.get("value").asLong()));
        StringBuilder sb = new StringBuilder();
        int i = seen.nextClearBit(0);
        while (i < total && sb.length() < 300) {
            int end = Math.min((int) total, seen.nextSetBit(i) < 0 ? (int) total : seen.nextSetBit(i));
            sb.append(i).append("..").append(end - 1).append(' ');
            i = seen.nextClearBit(end);
        }
        return sb.toString();
    }

    private static long distinct(List<JsonNode> got) {
        return got.stream().mapToLong(m -> m.get("value").asLong()).distinct().count();
    }
}
