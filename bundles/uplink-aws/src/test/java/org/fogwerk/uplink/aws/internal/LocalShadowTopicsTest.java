package org.fogwerk.uplink.aws.internal;

import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code shadow.topics=aws}: a client of the node's broker uses the AWS IoT shadow topics against the node's store. */
class LocalShadowTopicsTest {

    @TempDir
    Path dir;

    private TestSupport.Mosquitto broker;
    private ShadowStoreImpl store;
    private MqttUplink uplink;
    private WriteGateway gateway;
    private AwsTestSupport.Console console;

    @BeforeEach
    void start() throws Exception {
        broker = new TestSupport.Mosquitto(dir);
        store = ShadowStores.open(dir.resolve("shadows"));
        AwsTestSupport.Built built = AwsTestSupport.built("local", map("broker.urls", broker.url(), "shadow.topics",
                "aws", "include.things", "press*"), dir, store, store);
        uplink = built.uplink();
        gateway = built.gateway();
        console = new AwsTestSupport.Console(broker.url(), "press01");
        console.awaitServed("");
    }

    @AfterEach
    void stop() throws Exception {
        console.close();
        uplink.close();
        store.close();
        broker.close();
    }

    @Test
    void aRetainedRequestIsCarriedOutOnceWhenPublishedButNeverAgainAtAReconnect() throws Exception {
        console.sub.publishRetained(console.prefix("") + "/update",
                "{\"state\":{\"desired\":{\"speed\":700}},\"clientToken\":\"kept\"}".getBytes(StandardCharsets.UTF_8));
        // published now, it reaches the node as a live request
        assertEquals(1, console.answer("", "update/accepted", "kept").get("version").asLong());

        // a new session: the broker hands the kept request out again, and the node refuses it
        uplink.close();
        uplink = AwsTestSupport.uplink("local", map("broker.urls", broker.url(), "shadow.topics", "aws", "include.things",
                "press*"), dir, store);
        JsonNode refused = console.message("", "update/rejected", m -> m.path("code").asInt() == 400);
        assertEquals(WriteGateway.RETAINED, refused.get("message").asText());
        console.awaitServed("");
        assertEquals(1, store.get("press01", "").version(), "the kept request was not carried out again");
    }

    @Test
    void updateGetAndDeleteAnswerAsTheAwsService() throws Exception {
        console.send("", "get", "{'clientToken':'g0'}");
        JsonNode missing = console.answer("", "get/rejected", "g0");
        assertEquals(404, missing.get("code").asInt());
        assertTrue(missing.get("message").asText().contains("press01"), missing.toString());
        assertTrue(missing.has("timestamp"));

        console.send("", "update", "{'state':{'desired':{'speed':1500},'reported':{'speed':0}},'clientToken':'u1'}");
        JsonNode accepted = console.answer("", "update/accepted", "u1");
        assertEquals(1, accepted.get("version").asLong());
        assertEquals(1500, accepted.at("/state/desired/speed").asInt());
        assertTrue(accepted.at("/metadata/desired/speed/timestamp").isNumber(), accepted.toString());
        assertFalse(accepted.get("state").has("delta"), "accepted echoes only what was sent");

        JsonNode delta = console.answer("", "update/delta", "u1");
        assertEquals(1500, delta.at("/state/speed").asInt());
        assertEquals(1, delta.get("version").asLong());
        assertTrue(delta.at("/metadata/speed/timestamp").isNumber(), delta.toString());

        JsonNode documents = console.answer("", "update/documents", "u1");
        assertFalse(documents.has("previous"), "a new shadow has no previous document");
        assertEquals(1, documents.at("/current/version").asLong());
        assertEquals(0, documents.at("/current/state/reported/speed").asInt());

        console.send("", "update", "{'state':{'reported':{'speed':1500}},'version':1,'clientToken':'u2'}");
        console.answer("", "update/accepted", "u2");
        JsonNode second = console.answer("", "update/documents", "u2");
        assertEquals(1, second.at("/previous/version").asLong());
        assertEquals(2, second.at("/current/version").asLong());

        console.send("", "get", "{'clientToken':'g1'}");
        JsonNode got = console.answer("", "get/accepted", "g1");
        assertEquals(2, got.get("version").asLong());
        assertEquals(1500, got.at("/state/desired/speed").asInt());
        assertEquals(1500, got.at("/state/reported/speed").asInt());
        assertFalse(got.get("state").has("delta"), "desired equals reported: no delta");
        assertTrue(got.at("/metadata/reported/speed/timestamp").isNumber());

        console.send("", "update", "{'state':{'desired':{'speed':1}},'version':1,'clientToken':'stale'}");
        JsonNode conflict = console.answer("", "update/rejected", "stale");
        assertEquals(409, conflict.get("code").asInt());
        console.send("", "update", "{'state':{'colour':'red'},'clientToken':'bad-node'}");
        assertEquals(400, console.answer("", "update/rejected", "bad-node").get("code").asInt());
        console.send("", "update", "{not json");
        JsonNode garbage = console.message("", "update/rejected", m -> m.path("message").asText().contains("JSON"));
        assertEquals(400, garbage.get("code").asInt());
        // a state over the 8 KiB AWS IoT allows: refused as AWS IoT refuses it, with the caller's token
        console.send("", "update", "{'state':{'desired':{'note':'" + "x".repeat(9000) + "'}},'clientToken':'big'}");
        JsonNode big = console.answer("", "update/rejected", "big");
        assertEquals(413, big.get("code").asInt(), big.toString());
        assertTrue(big.get("message").asText().startsWith("The payload exceeds the maximum size allowed"), big.toString());
        // a message over command.max.bytes (16 KiB) is refused before it is read
        console.send("", "update", "{'state':{'desired':{'note':'" + "x".repeat(17000) + "'}},'clientToken':'huge'}");
        JsonNode huge = console.message("", "update/rejected", m -> m.path("message").asText().contains("more than 16384"));
        assertEquals(413, huge.get("code").asInt());
        assertEquals(2, store.get("press01", "").version(), "refused requests change nothing");

        console.send("", "delete", "{'clientToken':'d1'}");
        JsonNode deleted = console.answer("", "delete/accepted", "d1");
        assertEquals(2, deleted.get("version").asLong());
        assertTrue(deleted.has("timestamp"));
        console.send("", "delete", "{'clientToken':'d2'}");
        assertEquals(404, console.answer("", "delete/rejected", "d2").get("code").asInt());
        ShadowException gone = org.junit.jupiter.api.Assertions.assertThrows(ShadowException.class,
                () -> store.get("press01", ""));
        assertEquals(404, gone.code());
    }

    @Test
    void requestsRefusedBeforeTheGatewaySawThemAreCountedThereAndTokensAreCheckedAlike() throws Exception {
        console.send("", "update", "{'state':{'desired':{'note':'" + "x".repeat(9000) + "'}}}");
        console.message("", "update/rejected", m -> m.path("code").asInt() == 413);
        console.send("", "delete", "{'version':1.5}");
        console.message("", "delete/rejected", m -> m.path("message").asText().startsWith("Invalid version"));
        console.send("", "delete", "garbage");
        console.message("", "delete/rejected", m -> m.path("message").asText().contains("JSON object"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> gateway.counters()
                .stream().filter(c -> c.source() == org.fogwerk.api.authority.Source.AWS_LOCAL)
                .mapToLong(c -> c.refused()).sum() == 3);

        // a get takes the clientToken an update takes: a string of up to 64 bytes
        console.send("", "get", "{'clientToken':'" + "t".repeat(65) + "'}");
        console.message("", "get/rejected", m -> m.path("message").asText().contains("longer than 64 bytes"));
        console.send("", "get", "{'clientToken':5}");
        console.message("", "get/rejected", m -> m.path("message").asText().equals("clientToken: must be a string"));
        assertEquals(3, gateway.counters().stream()
                .filter(c -> c.source() == org.fogwerk.api.authority.Source.AWS_LOCAL).mapToLong(c -> c.refused()).sum(),
                "a get writes nothing: not a refused write");
    }

    @Test
    void namedShadowsAndChangesFromTheNodeItselfAreServedToo() throws Exception {
        console.send("recipe", "update", "{'state':{'desired':{'batch':'A7'}},'clientToken':'n1'}");
        assertEquals(1, console.answer("recipe", "update/accepted", "n1").get("version").asLong());
        assertEquals("A7", store.get("press01", "recipe").desired().get("batch"));
        assertTrue(store.shadows("press01").contains("recipe"));

        // a connector reports through the store: the documents event reaches MQTT clients as well
        store.update("press01", "recipe", new ShadowUpdate(null, Map.of("batch", "A7"), null, "connector-1"));
        JsonNode documents = console.answer("recipe", "update/documents", "connector-1");
        assertEquals("A7", documents.at("/current/state/reported/batch").asText());

        console.send("recipe", "get", "");
        JsonNode got = console.message("recipe", "get/accepted", m -> m.get("version").asLong() == 2);
        assertFalse(got.has("clientToken"));
        console.send("recipe", "delete", "");
        assertEquals(2, console.message("recipe", "delete/accepted", m -> true).get("version").asLong());
    }

    @Test
    void onlyTheThingsOfIncludeThingsAreServed() throws Exception {
        store.update("oven01", "", ShadowUpdate.reported(Map.of("temp", 180)));
        try (AwsTestSupport.Console oven = new AwsTestSupport.Console(broker.url(), "oven01")) {
            oven.send("", "get", "{'clientToken':'o1'}");
            console.send("", "get", "{'clientToken':'p1'}");
            console.answer("", "get/rejected", "p1");
            org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(500))
                    .atMost(java.time.Duration.ofSeconds(2)).until(() -> oven.sub.topicSnapshot().stream()
                            .allMatch(t -> t.equals("$aws/things/oven01/shadow/get")));
        }
    }
}
