package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.testing.HeldGateway;
import org.junit.jupiter.api.Test;

/** Commands that find the command queue full are answered with 429 and counted and recorded as refused. */
class CommandOverflowTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    @Test
    void commandsRefusedForAFullQueueAreAnsweredAndRecorded() throws Exception {
        String node = "cmd-" + UUID.randomUUID().toString().substring(0, 8);
        WriteGateway real = TestSupport.openGateway(new InMemoryShadowStore());
        // the gateway takes its time with the first update: the requests behind it fill the queue
        HeldGateway held = new HeldGateway(real);
        WriteGateway slow = held.gateway();
        MqttAsyncClient client = new MqttAsyncClient(BROKER, node, new MemoryPersistence());
        client.connect().waitForCompletion(10_000);
        CommandTopic commands = new CommandTopic(settings("cmd", map("broker.urls", BROKER, "node.id", node)), () -> slow,
                client);
        try (TestSupport.Subscriber replies = new TestSupport.Subscriber(BROKER, "fogwerk/" + node + "/reply/#", true, 1)) {
            String topic = "fogwerk/" + node + "/command/press01";
            byte[] command = "{\"state\":{\"desired\":{\"speed\":1}}}".getBytes(StandardCharsets.UTF_8);
            commands.arrived(topic, command);
            assertTrue(held.holding());
            for (int i = 0; i < 100 + 4; i++) {
                // 100 wait, 4 find the queue full; each with a token of its own
                commands.arrived(topic, ("{\"state\":{\"desired\":{\"speed\":1}},\"clientToken\":\"c" + i + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> replies.snapshot().stream()
                    .filter(r -> r.path("code").asInt() == 429).count() == 4);
            // a refusal names the command it refuses, so its caller knows which of its commands it was
            assertEquals(java.util.List.of("c100", "c101", "c102", "c103"), replies.snapshot().stream()
                    .filter(r -> r.path("code").asInt() == 429).map(r -> r.path("clientToken").asText()).toList());
            assertEquals(0, refused(real), "nothing recorded on the MQTT client's thread");

            held.release();
            // the four refusals alike are one entry, and counted as one request refused
            await().atMost(Duration.ofSeconds(30)).until(() -> refused(real) == 1);
            // and the commands that waited are carried out
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.snapshot().stream()
                    .anyMatch(r -> r.has("version") && !r.has("code")));
        } finally {
            commands.close();
            client.disconnect().waitForCompletion(5_000);
            client.close();
        }
    }

    private static long refused(WriteGateway gateway) {
        return gateway.counters().stream().filter(r -> r.source() == Source.MQTT_COMMAND).mapToLong(r -> r.refused())
                .sum();
    }
}
