package org.fogwerk.uplink.aws.internal;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.uplink.mqtt.internal.EngineContext;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.MqttUplinkConfig;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;

import com.fasterxml.jackson.databind.JsonNode;

/** Uplinks with the shadow topics (local or synchronised with a cloud) and an MQTT console for the tests. */
final class AwsTestSupport {

    private AwsTestSupport() {
    }

    /** An uplink whose profile comes from its configuration, listening to {@code store} without OSGi. */
    static MqttUplink uplink(String name, Map<String, Object> values, Path dir, ShadowStoreImpl store)
            throws Exception {
        return built(name, values, dir, store, store).uplink();
    }

    /** An uplink, its shadow side ({@code null} for a plain uplink without shadow topics) and its write gateway. */
    record Built(MqttUplink uplink, ShadowSession session, WriteGateway gateway) {
    }

    /** An uplink that serves or synchronises {@code served} and hears the events of {@code events}. */
    static Built built(String name, Map<String, Object> values, Path dir, ShadowStore served,
            ShadowStoreImpl events) throws Exception {
        return built(name, values, dir, served, events, TestSupport.openGateway(served));
    }

    /** The same, writing through {@code gateway}. */
    static Built built(String name, Map<String, Object> values, Path dir, ShadowStore served,
            ShadowStoreImpl events, WriteGateway gateway) throws Exception {
        MqttUplinkConfig config = TestSupport.config(values);
        UplinkSettings settings = UplinkSettings.of(config, name, "node1");
        EngineContext context = new EngineContext(settings, config, dir.resolve("profile-" + name),
                l -> ShadowStores.listen(events, l), () -> served, () -> null, () -> null, () -> null, () -> gateway,
                TestSupport.THING_IS_CONNECTION);
        ShadowSession session = "aws-iot".equals(config.profile()) ? AwsIotProfile.session(context)
                : "aws".equals(config.shadow_topics()) ? ShadowTopicsProfile.session(context) : null;
        ProfileSession profile = session != null ? session : new ProfileSession() { };
        try {
            return new Built(new MqttUplink(settings, dir.resolve("outbox-" + name), () -> gateway,
                    TestSupport.THING_IS_CONNECTION, profile), session, gateway);
        } catch (Exception e) {
            profile.close();
            throw e;
        }
    }

    /** A client of the broker that talks to the shadow topics of one thing and records every answer and event. */
    static final class Console implements AutoCloseable {
        final TestSupport.Subscriber sub;
        final String thing;

        Console(String url, String thing) throws Exception {
            this.sub = new TestSupport.Subscriber(url, "$aws/things/" + thing + "/shadow/#", true, 1);
            this.thing = thing;
        }

        String prefix(String shadow) {
            return shadow.isEmpty() ? "$aws/things/" + thing + "/shadow" : "$aws/things/" + thing + "/shadow/name/" + shadow;
        }

        void send(String shadow, String op, String json) throws Exception {
            sub.publish(prefix(shadow) + "/" + op, json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        }

        /** The first message on {@code shadow/suffix} that matches, waiting for it. */
        JsonNode message(String shadow, String suffix, Predicate<JsonNode> match) {
            String topic = prefix(shadow) + "/" + suffix;
            JsonNode[] found = new JsonNode[1];
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<String> topics = sub.topicSnapshot();
                List<JsonNode> messages = sub.snapshot();
                for (int i = 0; i < Math.min(topics.size(), messages.size()); i++) {
                    if (topics.get(i).equals(topic) && match.test(messages.get(i))) {
                        found[0] = messages.get(i);
                        return true;
                    }
                }
                return false;
            });
            return found[0];
        }

        /** The answer with this client token on {@code shadow/suffix}. */
        JsonNode answer(String shadow, String suffix, String clientToken) {
            return message(shadow, suffix, m -> clientToken.equals(m.path("clientToken").asText(null)));
        }

        /** Sends a get until the broker side answers: the uplink's subscriptions are in place. */
        void awaitServed(String shadow) throws Exception {
            int[] n = {0};
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                String token = "probe-" + (n[0]++);
                send(shadow, "get", "{'clientToken':'" + token + "'}");
                try {
                    answerWithin(shadow, token, Duration.ofMillis(300));
                    return true;
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    return false;
                }
            });
        }

        private void answerWithin(String shadow, String token, Duration d) {
            String accepted = prefix(shadow) + "/get/accepted";
            String rejected = prefix(shadow) + "/get/rejected";
            await().atMost(d).until(() -> {
                List<String> topics = sub.topicSnapshot();
                List<JsonNode> messages = sub.snapshot();
                for (int i = 0; i < Math.min(topics.size(), messages.size()); i++) {
                    if ((topics.get(i).equals(accepted) || topics.get(i).equals(rejected))
                            && token.equals(messages.get(i).path("clientToken").asText(null))) {
                        return true;
                    }
                }
                return false;
            });
        }

        @Override
        public void close() throws Exception {
            sub.close();
        }
    }

    static JsonNode tree(Object value) {
        return TestSupport.MAPPER.valueToTree(value);
    }

}
