package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.testing.DamagedBytes;

import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Update documents as a broken or hostile client sends them, against the real durable store: each
 * is accepted or refused with a 4xx and a message (never a 500, an exception or a hang), and every
 * shadow still reads, also after the store is closed and opened again. Tries:
 * {@code jqwik.tries.default} (1,000 in the test run, 10,000 with -Pchaos).
 */
class ShadowFuzzTest {

    private static Path dir;
    private static ShadowStoreImpl store;
    private static final AtomicInteger ACCEPTED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("shadow-fuzz");
        store = Stores.open(dir);
    }

    @AfterContainer
    static void everyShadowStillReadsAfterReopening() throws Exception {
        int before = countShadows(store);
        LoggerFactory.getLogger(ShadowFuzzTest.class).info("Shadow fuzz: {} updates accepted, {} refused with a 4xx,"
                + " {} shadows read back after reopening", ACCEPTED, REFUSED, before);
        store.close();
        store = Stores.open(dir);
        try {
            assertEquals(before, countShadows(store), "shadows after reopening");
            assertTrue(ACCEPTED.get() > 0 && REFUSED.get() > 0,
                    "the generator reaches both sides: accepted " + ACCEPTED + ", refused " + REFUSED);
        } finally {
            store.close();
        }
    }

    private static int countShadows(ShadowStoreImpl s) throws ShadowException {
        int n = 0;
        for (String thing : s.things()) {
            for (String shadow : s.shadows(thing)) {
                assertTrue(s.get(thing, shadow.isEmpty() ? null : shadow).version() >= 1);
                n++;
            }
        }
        return n;
    }

    /** JSON values of every kind, nested a little deeper than the store allows. */
    private static Arbitrary<Object> value(int depth) {
        Arbitrary<Object> small = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(null));
        // beyond the 8 KiB a shadow's state may take
        Arbitrary<Object> big = Arbitraries.strings().withCharRange('a', 'z').ofLength(9000).map(s -> (Object) s);
        Arbitrary<Object> leaf = Arbitraries.frequencyOf(Tuple.of(30, small), Tuple.of(1, big));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> object = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of("speed", "temp", "state",
                "desired", "reported", "version", "metadata", ""), Arbitraries.strings().ofMaxLength(6)),
                Arbitraries.lazy(() -> value(depth - 1))).ofMaxSize(4).map(m -> (Object) m);
        Arbitrary<Object> array = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3).map(l -> (Object) l);
        return Arbitraries.frequencyOf(Tuple.of(6, leaf), Tuple.of(3, object), Tuple.of(1, array));
    }

    /** Update requests: mostly shaped like one, with wrong types, extra keys, versions, damage. */
    @Provide
    Arbitrary<byte[]> request() {
        Arbitrary<byte[]> shaped = Arbitraries.maps(Arbitraries.of("state", "version", "clientToken", "metadata",
                "timestamp", "x"), value(8)).ofMaxSize(4).map(m -> {
                    ObjectNode node = Stores.JSON.valueToTree(m);
                    if (m.containsKey("state") && m.get("state") == null) {
                        node.putObject("state").putObject("desired").put("speed", 1);
                    }
                    return node.toString().getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> valid = value(3).map(v -> ("{\"state\":{\"reported\":{\"v\":"
                + Stores.tree(v).toString() + "}}}").getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> cut = DamagedBytes.cut(valid);
        Arbitrary<byte[]> flipped = DamagedBytes.flipped(valid, (byte) 0xA5);
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.oneOf(shaped, valid, valid, cut, flipped, noise);
    }

    @Provide
    Arbitrary<String> thing() {
        return Arbitraries.oneOf(Arbitraries.of("press01", "press02", "line2"),
                Arbitraries.strings().ofMaxLength(130));
    }

    @Property
    void anUpdateIsAcceptedOrRefusedWithA4xx(@ForAll("thing") String thing, @ForAll("request") byte[] request) {
        String shadow = thing.hashCode() % 3 == 0 ? "ops" : null;
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                byte[] answer = store.update(thing, shadow, request);
                ACCEPTED.incrementAndGet();
                assertTrue(Stores.tree(answer).has("version"), new String(answer, StandardCharsets.UTF_8));
                assertTrue(store.get(thing, shadow).version() >= 1);
            } catch (ShadowException e) {
                REFUSED.incrementAndGet();
                assertTrue(e.code() >= 400 && e.code() < 500, e.code() + " " + e.getMessage());
                assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal says why");
            } catch (RuntimeException e) {
                fail("crash on " + new String(request, StandardCharsets.UTF_8), e);
            }
        });
    }
}
