package org.fogwerk.uplink.aws.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.EngineContext;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.MqttUplinkConfig;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.uplink.mqtt.internal.TestConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who may write to a machine from the plant broker: two nodes on one broker (the machine's
 * Mosquitto) each answer and write only for their own machines, and remote sources are refused
 * on their own channel unless the write policy allows them.
 */
class WriteAuthorityTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";
    private static final String[] REMOTE_ALLOWED = {"aws-local.allow = **", "aws-local.create = true",
        "mqtt-command.allow = **"};

    @TempDir
    Path dir;

    /** One fog node: its core, shadow store, command path, one machine and a plain uplink with the $aws topics. */
    private static final class Node implements AutoCloseable {
        final String id;
        final String machine;
        final CoreNode core = new CoreNode();
        final TestConnector plc;
        final ShadowStoreImpl store;
        final Runnable commands;
        final MqttUplink uplink;

        Node(Path dir, String id, String machine, String... policy) throws Exception {
            this.id = id;
            this.machine = machine;
            this.plc = new TestConnector(machine, List.of(new TagDefinition("setpoint", "40001", DataType.INT32,
                    Access.READ_WRITE, "", "", 0.0, 100.0, Map.of())));
            core.add(plc);
            store = ShadowStores.open(dir.resolve(id + "-shadows"));
            commands = core.commandPath(store);
            WriteGateway gateway = core.gateway(store, policy);
            MqttUplinkConfig config = TestSupport.config(TestSupport.map("broker.urls", BROKER, "node.id", id,
                    "shadow.topics", "aws", "reconnect.min.ms", 100));
            UplinkSettings settings = UplinkSettings.of(config, "local", id);
            EngineContext context = new EngineContext(settings, config, dir.resolve(id + "-profile"),
                    l -> ShadowStores.listen(store, l), () -> store, core::things, core::bus, core::connectors,
                    () -> gateway, TestSupport.THING_IS_CONNECTION);
            LocalShadowService profile = ShadowTopicsProfile.session(context);
            uplink = new MqttUplink(settings, dir.resolve(id + "-outbox"), () -> gateway,
                    TestSupport.THING_IS_CONNECTION, profile);
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
        }

        @Override
        public void close() throws Exception {
            uplink.close();
            commands.run();
            store.close();
            core.close();
        }
    }

    private static byte[] json(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private static long count(TestSupport.Subscriber sub, String topicSuffix, String token) {
        List<String> topics = sub.topicSnapshot();
        List<JsonNode> messages = sub.snapshot();
        long n = 0;
        for (int i = 0; i < topics.size(); i++) {
            JsonNode m = messages.get(i);
            if (topics.get(i).endsWith(topicSuffix) && m != null && token.equals(m.path("clientToken").asText())) {
                n++;
            }
        }
        return n;
    }

    @Test
    void twoNodesOnOneBrokerNeverAnswerOrWriteForEachOther() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String pressA = "pressA-" + run;
        String pressB = "pressB-" + run;
        try (Node a = new Node(dir, "a-" + run, pressA, REMOTE_ALLOWED);
                Node b = new Node(dir, "b-" + run, pressB, REMOTE_ALLOWED);
                TestSupport.Subscriber client = new TestSupport.Subscriber(BROKER, "$aws/things/+/shadow/#", true, 1)) {
            String prefix = "$aws/things/" + pressA + "/shadow";
            // the subscriptions of both uplinks are made right after their connects: wait for A's first answer
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                client.publish(prefix + "/get", json("{'clientToken':'probe'}"));
                return count(client, "/get/rejected", "probe") > 0;
            });

            client.publish(prefix + "/update", json("{'state':{'desired':{'setpoint':42}},'clientToken':'u1'}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> a.plc.writes.contains("setpoint=42"));
            client.publish(prefix + "/get", json("{'clientToken':'g1'}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> count(client, "/get/accepted", "g1") >= 1);
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() ->
                    count(client, "/update/accepted", "u1") == 1 && count(client, "/get/accepted", "g1") == 1
                            && count(client, "/get/rejected", "g1") == 0 && count(client, "/update/rejected", "u1") == 0);
            assertTrue(b.plc.writes.isEmpty(), "node B never writes node A's machine");
            assertFalse(b.store.things().contains(pressA), "node B keeps no phantom shadow of node A's thing");
            assertEquals(List.of(), b.core.audit.events(), "node B did nothing it would have to audit");

            // B's own machine is B's alone
            client.publish("$aws/things/" + pressB + "/shadow/update", json("{'state':{'desired':{'setpoint':7}},'clientToken':'u2'}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> b.plc.writes.contains("setpoint=7"));
            assertEquals(List.of("setpoint=42"), a.plc.writes);

            // a thing neither node has: no answer, nothing created
            client.publish("$aws/things/nobody-" + run + "/shadow/update",
                    json("{'state':{'desired':{'setpoint':1}},'clientToken':'u3'}"));
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() ->
                    count(client, "/update/accepted", "u3") == 0 && count(client, "/update/rejected", "u3") == 0);
            assertFalse(a.store.things().contains("nobody-" + run));
            assertFalse(b.store.things().contains("nobody-" + run));

            AuditEvent write = a.core.audit.events().stream().filter(e -> e.kind().equals("write")
                    && e.outcome().equals("done")).findFirst().orElseThrow();
            assertEquals("aws-local", write.source());
            assertTrue(write.identity().contains("topic " + prefix + "/update") && write.identity().contains("u1"),
                    write.identity());
        }
    }

    @Test
    void remoteSourcesAreRefusedOnTheirOwnChannelUntilThePolicyAllowsThem() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String press = "pressD-" + run;
        try (Node n = new Node(dir, "d-" + run, press);
                TestSupport.Subscriber aws = new TestSupport.Subscriber(BROKER, "$aws/things/" + press + "/shadow/#", true, 1);
                TestSupport.Subscriber replies = new TestSupport.Subscriber(BROKER, "fogwerk/" + n.id + "/reply/#", true, 1)) {
            String prefix = "$aws/things/" + press + "/shadow";
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                aws.publish(prefix + "/update", json("{'state':{'desired':{'setpoint':5}},'clientToken':'x1'}"));
                return count(aws, "/update/rejected", "x1") > 0;
            });
            JsonNode rejected = aws.snapshot().get(aws.topicSnapshot().indexOf(prefix + "/update/rejected"));
            assertEquals(403, rejected.get("code").asInt(), rejected.toString());
            assertTrue(rejected.get("message").asText().startsWith("aws-local may not"), rejected.toString());

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                replies.publish("fogwerk/" + n.id + "/command/" + press,
                        json("{'state':{'desired':{'setpoint':6}},'clientToken':'c1'}"));
                return replies.snapshot().stream().anyMatch(r -> "c1".equals(r.path("clientToken").asText()));
            });
            JsonNode reply = replies.snapshot().stream().filter(r -> "c1".equals(r.path("clientToken").asText()))
                    .findFirst().orElseThrow();
            assertEquals(403, reply.get("code").asInt(), reply.toString());
            assertTrue(n.plc.writes.isEmpty(), "nothing refused reaches the machine");
            assertFalse(n.store.things().contains(press), "nothing refused creates a shadow");
            assertTrue(n.core.audit.events().stream().anyMatch(e -> e.source().equals("mqtt-command")
                    && e.outcome().equals("denied")), "403: the policy does not let it");
            assertTrue(n.core.audit.events().stream().anyMatch(e -> e.source().equals("aws-local")
                    && e.outcome().equals("denied")));
        }
    }

    @Test
    void aValueOverTheTagsLimitIsRefusedBeforeItIsAccepted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String press = "pressL-" + run;
        try (Node n = new Node(dir, "l-" + run, press, REMOTE_ALLOWED);
                TestSupport.Subscriber aws = new TestSupport.Subscriber(BROKER, "$aws/things/" + press + "/shadow/#", true, 1)) {
            String prefix = "$aws/things/" + press + "/shadow";
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                aws.publish(prefix + "/update", json("{'state':{'desired':{'setpoint':500}},'clientToken':'big'}"));
                return count(aws, "/update/rejected", "big") > 0;
            });
            JsonNode rejected = aws.snapshot().get(aws.topicSnapshot().indexOf(prefix + "/update/rejected"));
            assertEquals(400, rejected.get("code").asInt());
            assertEquals("desired.setpoint: tag setpoint: 500 is above the maximum 100.0", rejected.get("message").asText());
            assertFalse(n.store.things().contains(press));
            assertTrue(n.plc.writes.isEmpty());
        }
    }
}
