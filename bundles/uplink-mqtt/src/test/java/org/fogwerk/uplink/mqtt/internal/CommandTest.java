package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.authority.RequestCounters;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.spi.MqttSession;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Shadow updates on the command topic, answers on the reply topic (Mosquitto on 1883). */
class CommandTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    private static List<JsonNode> afterBinding(TestSupport.Subscriber replies) {
        return replies.snapshot().stream().filter(r -> !r.has("code") || r.get("code").asInt() != 503).toList();
    }

    @Test
    void garbageGetsAnErrorReplyAndAGoodCommandUpdatesTheShadow() throws Exception {
        String node = "cmd-" + UUID.randomUUID().toString().substring(0, 8);
        InMemoryShadowStore store = new InMemoryShadowStore();
        AtomicReference<WriteGateway> bound = new AtomicReference<>();
        try (TestSupport.Subscriber replies = new TestSupport.Subscriber(BROKER, "fogwerk/" + node + "/reply/#", true, 1);
                TestSupport.Subscriber values = new TestSupport.Subscriber(BROKER, "fogwerk/" + node + "/press01/#");
                MqttUplink uplink = new MqttUplink(settings("cmd", map("broker.urls", BROKER, "node.id", node,
                        "command.max.bytes", 1024)), dir.resolve("cmd"), bound::get, TestSupport.THING_IS_CONNECTION)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
            String command = "fogwerk/" + node + "/command/press01";
            // the subscription is made right after the connect; give it a round trip
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                if (replies.size() == 0) {
                    replies.publish(command, "{}".getBytes(StandardCharsets.UTF_8));
                }
                return replies.size() > 0;
            });

            // shadow store not installed yet: a clear error, not silence
            JsonNode absent = replies.snapshot().get(0);
            assertEquals(503, absent.get("code").asInt(), absent.toString());
            bound.set(TestSupport.openGateway(store));

            // late answers to further probes are 503 too: leave them out
            replies.publish(command, "not json".getBytes(StandardCharsets.UTF_8));
            replies.publish(command, new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'});
            replies.publish(command, ("{\"state\":{\"desired\":{\"x\":\"" + "y".repeat(2000) + "\"}}}")
                    .getBytes(StandardCharsets.UTF_8));
            replies.publish(command, "[1,2]".getBytes(StandardCharsets.UTF_8));
            replies.publish(command, "{\"state\":{\"desired\":{\"speed\":1}},\"version\":7,\"clientToken\":\"t-409\"}"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> afterBinding(replies).size() >= 5);
            List<JsonNode> errors = afterBinding(replies).subList(0, 5);
            assertEquals(List.of(400, 400, 413, 400, 409), errors.stream().map(e -> e.get("code").asInt()).toList());
            assertTrue(errors.get(1).get("message").asText().contains("UTF-8"));
            assertEquals("t-409", errors.get(4).get("clientToken").asText());
            assertTrue(store.desired.isEmpty(), "nothing applied from garbage");
            // the four that could not be read never reached the gateway, and it counted them all the same
            assertEquals(5, bound.get().counters().stream().filter(r -> r.source() == Source.MQTT_COMMAND)
                    .mapToLong(r -> r.refused()).sum());

            // values still flow beside the commands
            uplink.submit(List.of(TagValue.good("press01", "speed", 3L))).toCompletableFuture().get(5, TimeUnit.SECONDS);

            replies.publish(command, "{\"state\":{\"desired\":{\"speed\":1500}},\"clientToken\":\"t-1\"}"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> afterBinding(replies).size() >= 6);
            JsonNode accepted = afterBinding(replies).get(5);
            assertEquals("t-1", accepted.get("clientToken").asText());
            assertEquals(1, accepted.get("version").asLong());
            assertEquals(1500, store.desired.get("press01").get("speed").asInt());
            assertTrue(replies.topicSnapshot().stream().allMatch(t -> t.equals("fogwerk/" + node + "/reply/press01")));
            await().atMost(Duration.ofSeconds(5)).until(() -> values.size() == 1);
        }
    }

    /** A node id of this test's own, and a write gateway over a shadow store in memory. */
    private record Commanded(String node, InMemoryShadowStore store, WriteGateway gateway) {
        static Commanded open() throws Exception {
            InMemoryShadowStore store = new InMemoryShadowStore();
            return new Commanded("cmd-" + UUID.randomUUID().toString().substring(0, 8), store,
                    TestSupport.openGateway(store));
        }

        /** {@code fogwerk/<node>/<kind>/press01}. */
        String topic(String kind) {
            return "fogwerk/" + node + "/" + kind + "/press01";
        }

        /** A client that hears the answers on the reply topic. */
        TestSupport.Subscriber replies() throws Exception {
            return new TestSupport.Subscriber(BROKER, "fogwerk/" + node + "/reply/#", true, 1);
        }

        /** An uplink of this node: the plain profile, or the test's session where it gives one. */
        MqttUplink uplink(Path dir, ProfileSession profile) throws Exception {
            UplinkSettings s = settings("cmd", map("broker.urls", BROKER, "node.id", node));
            return profile == null ? new MqttUplink(s, dir.resolve("cmd"), () -> gateway, TestSupport.THING_IS_CONNECTION)
                    : new MqttUplink(s, dir.resolve("cmd"), () -> gateway, TestSupport.THING_IS_CONNECTION, profile);
        }
    }

    @Test
    void aTopicTheProfileSubscribedToAndDidNotTakeIsNoWayToTheMachines() throws Exception {
        Commanded c = Commanded.open();
        String other = c.topic("other");
        CountDownLatch subscribed = new CountDownLatch(1);
        ProfileSession profile = new ProfileSession() {
            @Override
            public void connected(MqttSession session) throws IOException {
                session.subscribe(new String[] {"fogwerk/" + c.node() + "/other/+"}, new int[] {1})
                        .thenRun(subscribed::countDown);
            }
        };
        try (TestSupport.Subscriber replies = c.replies(); MqttUplink uplink = c.uplink(dir, profile)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
            replies.publish(other, "{\"state\":{\"desired\":{\"speed\":1500}},\"clientToken\":\"other\"}"
                    .getBytes(StandardCharsets.UTF_8));
            // commands are answered in order: once a probe on the command topic is answered, the
            // message before it was looked at
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                if (replies.size() == 0) {
                    replies.publish(c.topic("command"), "{\"clientToken\":\"probe\"}".getBytes(StandardCharsets.UTF_8));
                }
                return replies.size() > 0;
            });
            assertTrue(replies.snapshot().stream().allMatch(r -> "probe".equals(r.path("clientToken").asText())),
                    replies.snapshot().toString());
            assertTrue(c.store().desired.isEmpty(), "nothing written from a topic that is not the command topic");
            assertTrue(uplink.status().lastError().contains("1 incoming messages ignored"),
                    "counted where the user looks: " + uplink.status().lastError());
        }
    }

    @Test
    void aRetainedCommandIsRefusedOnTheReplyTopicAndNeverCarriedOut() throws Exception {
        Commanded c = Commanded.open();
        String command = c.topic("command");
        try (TestSupport.Subscriber replies = c.replies()) {
            // an old order the broker keeps and hands to every new subscription
            replies.publishRetained(command, "{\"state\":{\"desired\":{\"speed\":700}},\"clientToken\":\"old\"}"
                    .getBytes(StandardCharsets.UTF_8));
            try (MqttUplink uplink = c.uplink(dir, null)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() >= 1);
                JsonNode refused = replies.snapshot().get(0);
                assertEquals(400, refused.get("code").asInt(), refused.toString());
                assertEquals(WriteGateway.RETAINED, refused.get("message").asText());
                assertTrue(c.store().desired.isEmpty(), "the retained order was not carried out");
                assertEquals("old", refused.get("clientToken").asText());
                assertEquals(1, c.gateway().counters().stream().filter(r -> r.source() == Source.MQTT_COMMAND)
                        .mapToLong(RequestCounters::refused).sum(), "counted with the refused requests");

                // the same kind of order published now is carried out
                replies.publish(command, "{\"state\":{\"desired\":{\"speed\":1500}},\"clientToken\":\"now\"}"
                        .getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(5)).until(() -> replies.size() >= 2);
                assertEquals("now", replies.snapshot().get(1).get("clientToken").asText());
                assertEquals(1500, c.store().desired.get("press01").get("speed").asInt());

                // clearing the kept order (an empty retained publish reaches the node as an empty
                // message) is no command: no answer, nothing refused
                replies.publishRetained(command, new byte[0]);
                replies.publish(command, "{\"state\":{\"desired\":{\"speed\":1600}},\"clientToken\":\"after\"}"
                        .getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(5)).until(() -> replies.size() >= 3);
                assertEquals("after", replies.snapshot().get(2).get("clientToken").asText());
                assertEquals(1, c.gateway().counters().stream().filter(r -> r.source() == Source.MQTT_COMMAND)
                        .mapToLong(RequestCounters::refused).sum());
            } finally {
                replies.publishRetained(command, new byte[0]);
            }
        }
    }
}
