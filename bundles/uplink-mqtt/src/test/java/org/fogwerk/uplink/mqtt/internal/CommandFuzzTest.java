package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.spi.ConnectOptions;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.testing.DamagedBytes;
import org.fogwerk.testing.ShadowStores;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Payloads on the command topic ({@code fogwerk/<node>/command/<thing>}) as a broken or hostile
 * client on the plant broker sends them, through the real uplink, write gateway and store: each
 * command is answered once on the reply topic, accepted or refused with a 4xx and a message,
 * never a 500, never unanswered (the next command's answer comes within seconds); the store
 * reads every shadow afterwards, also after reopening. Tries: {@code jqwik.tries.default}.
 */
class CommandFuzzTest {

    private static final String NODE = "fuzz";
    private static final String REPLIES = "fogwerk/" + NODE + "/reply/";
    private static TestSupport.Bench bench;
    private static TestSupport.Subscriber client;
    private static final AtomicInteger PROBES = new AtomicInteger();
    /** Empty messages: what clears a retained command, no command, so not answered. */
    private static final AtomicInteger EMPTY = new AtomicInteger();
    /** Where the answers to the fuzzed commands start. */
    private static int first;
    /** How far the answers have been looked at, so each wait reads only the new ones. */
    private static int seen;

    @BeforeContainer
    static void start() throws Exception {
        bench = new TestSupport.Bench("command-fuzz", "set_tcp_nodelay true");
        // a profile asking for no Nagle delay (as the shadow topics do): each answer goes at once,
        // not some 40 ms later, which keeps 1,000 round trips within seconds
        MqttUplinkConfig config = TestSupport.config(map("broker.urls", bench.broker.url(), "node.id", NODE,
                "command.max.bytes", 4096));
        UplinkSettings settings = UplinkSettings.of(config, "cmd", "node1");
        WriteGateway gateway = TestSupport.openGateway(bench.store());
        MqttUplink uplink = bench.uplink(new MqttUplink(settings, bench.dir.resolve("outbox-cmd"), () -> gateway,
                TestSupport.THING_IS_CONNECTION, new ProfileSession() {
                    @Override
                    public void beforeConnect(ConnectOptions options) {
                        options.noDelay();
                    }
                }));
        client = new TestSupport.Subscriber(bench.broker.url(), REPLIES + "#", true, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
        // the uplink subscribes right after the connect: probe until it answers
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (client.size() == 0) {
                client.publish("fogwerk/" + NODE + "/command/press01", "{}".getBytes(StandardCharsets.UTF_8));
            }
            return client.size() > 0;
        });
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
        first = client.size();
        seen = first;
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            List<String> topics = client.topicSnapshot();
            List<JsonNode> messages = client.snapshot();
            int accepted = 0;
            Map<Integer, Integer> refused = new TreeMap<>();
            for (int i = first; i < Math.min(topics.size(), messages.size()); i++) {
                JsonNode m = messages.get(i);
                if (m.path("clientToken").asText("").startsWith("probe-")) {
                    continue;
                }
                if (m.has("code")) {
                    int code = m.path("code").asInt();
                    assertTrue(code >= 400 && code < 500, "a refusal is a 4xx: " + m);
                    assertFalse(m.path("message").asText().isBlank(), "a refusal says why: " + m);
                    refused.merge(code, 1, Integer::sum);
                } else {
                    assertTrue(m.has("version"), "an accepted command answers with the shadow's version: " + m);
                    accepted++;
                }
            }
            int answered = accepted + refused.values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(UplinkState.CONNECTED, bench.uplink().status().state(), "the uplink is still up");
            bench.uplink().close();
            int shadows = ShadowStores.readEvery(bench.store());
            assertEquals(shadows, ShadowStores.readEvery(bench.reopenStore()), "every shadow reads after reopening");
            LoggerFactory.getLogger(CommandFuzzTest.class).info("Command fuzz: {} commands, {} accepted, refused by code"
                    + " {}, 0 with 500, 0 unanswered; {} shadows read after reopening", PROBES.get(), accepted, refused,
                    shadows);
            assertTrue(!refused.isEmpty() && accepted > 0, "the generator reaches refusals and acceptances");
            assertEquals(PROBES.get() - EMPTY.get(), answered, "every command answered once");
        } finally {
            client.close();
            bench.close();
        }
    }

    @Provide
    Arbitrary<String> thing() {
        return Arbitraries.oneOf(Arbitraries.of("press01", "press01", "press02", "", "ä-line", "a b", "x".repeat(200),
                "$sys", "..", "press01%00"), Arbitraries.strings().withCharRange('!', '~').ofMaxLength(10)
                        .map(s -> s.replace("+", "").replace("#", "").replace("/", "")));
    }

    @Provide
    Arbitrary<byte[]> payload() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("1", "-1", "1.5e308", "1e999", "null", "true",
                "\"x\"", "[]", "{}", "[1,{\"a\":null}]", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}",
                "\"" + "y".repeat(5000) + "\"", "\"\\ud800\""), Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(12).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
        Arbitrary<String> section = Arbitraries.of("desired", "reported", "delta", "x", "");
        // the format's first %s is the section, its second the value
        Arbitrary<String> format = Arbitraries.of("{\"state\":{\"%s\":{\"speed\":%s}}}",
                "{\"state\":{\"%s\":%s}}", "{\"state\":{\"%s\":{\"speed\":1}},\"version\":%s}",
                "{\"state\":{\"%s\":{\"speed\":1}},\"clientToken\":%s}", "{\"x%s\":1,\"clientToken\":%s}",
                "{\"state\":{\"%s\":{}},\"state\":%s}", "{\"clientToken\":\"%s\",\"version\":%s}", "[\"%s\",%s]");
        Arbitrary<String> shaped = Combinators.combine(format, section, value).as(String::format);
        Arbitrary<byte[]> json = shaped.map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> cut = DamagedBytes.cut(json);
        Arbitrary<byte[]> flipped = DamagedBytes.flipped(json, (byte) 0x80);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> large = Arbitraries.integers().between(4000, 9000).map(n -> new byte[n]);
        return Arbitraries.frequencyOf(Tuple.of(4, json), Tuple.of(2, cut), Tuple.of(1, flipped), Tuple.of(2, noise),
                Tuple.of(1, large));
    }

    @Property
    void everyCommandIsAnsweredOnceAcceptedOrA4xx(@ForAll("thing") String thing, @ForAll("payload") byte[] payload)
            throws Exception {
        if (payload.length == 0) {
            EMPTY.incrementAndGet();
        }
        client.publish("fogwerk/" + NODE + "/command/" + thing, payload);
        // commands are answered in order: once the probe is answered, so is the command before it
        String token = "probe-" + PROBES.incrementAndGet();
        // a document without state: refused before the store is touched, so the probe costs no disk write
        client.publish("fogwerk/" + NODE + "/command/press01", ("{\"clientToken\":\"" + token + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10)).until(() -> {
            List<JsonNode> messages = client.snapshot();
            for (int i = messages.size() - 1; i >= seen; i--) {
                if (token.equals(messages.get(i).path("clientToken").asText(null))) {
                    seen = messages.size();
                    return true;
                }
            }
            return false;
        });
    }
}
