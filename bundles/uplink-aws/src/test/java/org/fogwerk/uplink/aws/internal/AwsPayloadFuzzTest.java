package org.fogwerk.uplink.aws.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.uplink.mqtt.internal.TestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code $aws} shadow requests as a broken or hostile client on the node's broker sends them,
 * through the real uplink, write gateway and store: every request that gets an answer gets an
 * accepted one or a 4xx with a message, never a 500; the service keeps answering; the store reads
 * every shadow afterwards. Tries: {@code jqwik.tries.default}.
 */
class AwsPayloadFuzzTest {

    private static TestSupport.Bench bench;
    private static AwsTestSupport.Console console;
    private static final AtomicInteger PROBES = new AtomicInteger();
    /** Empty update messages: what clears a retained update, no request, so not answered. */
    private static final AtomicInteger EMPTY_UPDATES = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        bench = new TestSupport.Bench("aws-fuzz");
        bench.uplink(AwsTestSupport.uplink("local", map("broker.urls", bench.broker.url(), "shadow.topics", "aws",
                "include.things", "press*"), bench.dir, bench.store()));
        console = new AwsTestSupport.Console(bench.broker.url(), "press01");
        console.awaitServed("");
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            List<String> topics = console.sub.topicSnapshot();
            List<JsonNode> messages = console.sub.snapshot();
            int accepted = 0;
            int rejected = 0;
            for (int i = 0; i < Math.min(topics.size(), messages.size()); i++) {
                JsonNode m = messages.get(i);
                if (m.path("clientToken").asText("").startsWith("probe-")) {
                    continue;
                }
                if (topics.get(i).endsWith("/rejected")) {
                    int code = m.path("code").asInt();
                    assertTrue(code >= 400 && code < 500, "a refusal is a 4xx: " + m);
                    assertFalse(m.path("message").asText().isBlank(), "a refusal says why: " + m);
                    rejected++;
                } else if (topics.get(i).endsWith("/accepted")) {
                    accepted++;
                }
            }
            ShadowStores.readEvery(bench.store());
            LoggerFactory.getLogger(AwsPayloadFuzzTest.class).info("$aws fuzz: {} requests answered accepted ({} probes aside),"
                    + " {} rejected with a 4xx, 0 with 500", accepted, PROBES.get(), rejected);
            assertTrue(rejected > 0, "the generator reaches the refusals");
            assertEquals(PROBES.get() - EMPTY_UPDATES.get(), accepted + rejected, "every request answered once");
        } finally {
            console.close();
            bench.close();
        }
    }

    @Provide
    Arbitrary<String> op() {
        return Arbitraries.of("update", "update", "update", "get", "delete");
    }

    @Provide
    Arbitrary<byte[]> payload() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("1", "-1", "1.5e308", "null", "true", "\"x\"",
                "[]", "{}", "[1,{\"a\":null}]", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}",
                "\"" + "y".repeat(9000) + "\""), Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(12).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
        Arbitrary<String> section = Arbitraries.of("desired", "reported", "delta", "x");
        // the format's first %s is the section, its second the value
        Arbitrary<String> format = Arbitraries.of("{\"state\":{\"%s\":{\"speed\":%s}}}",
                "{\"state\":{\"%s\":%s}}", "{\"state\":{\"%s\":{\"speed\":1}},\"version\":%s}",
                "{\"x%s\":1,\"clientToken\":%s}", "{\"state\":{\"%s\":{}},\"state\":%s}",
                "{\"clientToken\":\"%s\",\"version\":%s}");
        Arbitrary<String> shaped = Combinators.combine(format, section, value).as(String::format);
        Arbitrary<byte[]> json = shaped.map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> cut = DamagedBytes.cut(json);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.oneOf(json, json, cut, noise);
    }

    @Property
    void everyAnswerIsAcceptedOrA4xx(@ForAll("op") String op, @ForAll("payload") byte[] payload,
            @ForAll boolean named) throws Exception {
        String shadow = named ? "ops" : "";
        if (payload.length == 0 && op.equals("update")) {
            EMPTY_UPDATES.incrementAndGet();
        }
        console.sub.publish(console.prefix(shadow) + "/" + op, payload);
        // requests are answered in order: once the probe is answered, so is the request before it
        String token = "probe-" + PROBES.incrementAndGet();
        console.send(shadow, "get", "{'clientToken':'" + token + "'}");
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> topics = console.sub.topicSnapshot();
            List<JsonNode> messages = console.sub.snapshot();
            for (int i = messages.size() - 1; i >= 0; i--) {
                if (i < topics.size() && topics.get(i).startsWith(console.prefix(shadow) + "/get/")
                        && token.equals(messages.get(i).path("clientToken").asText(null))) {
                    return true;
                }
            }
            return false;
        });
    }
}
