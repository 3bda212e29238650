package org.fogwerk.shadow.internal;

import static org.fogwerk.shadow.internal.Stores.bytes;
import static org.fogwerk.shadow.internal.Stores.tree;
import static org.fogwerk.shadow.internal.Stores.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.testing.Gate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** One test per rule of specs/shadow.md. */
class ShadowConformanceTest {

    @TempDir
    Path dir;
    ShadowStoreImpl store;

    @BeforeEach
    void open() throws Exception {
        store = Stores.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private JsonNode state(String thing, String shadow) throws Exception {
        ShadowDocument d = store.get(thing, shadow);
        Map<String, Object> s = new HashMap<>();
        s.put("desired", d.desired());
        s.put("reported", d.reported());
        s.put("delta", d.delta());
        return tree(s);
    }

    private static ShadowException refused(int code, Executable call) {
        ShadowException e = assertThrows(ShadowException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private void assertUntouched(String thing, long version, String reportedJson) throws Exception {
        ShadowDocument d = store.get(thing, "");
        assertEquals(version, d.version());
        assertEquals(tree(bytes(reportedJson)), tree(d.reported()));
    }

    // ------------------------------------------------------------ names

    @Test
    void thingNameIs1To128BytesOfTheAllowedSet() throws Exception {
        update(store, "a".repeat(128), "", "{'state':{'reported':{'x':1}}}");
        update(store, "Press-01:line_2", "", "{'state':{'reported':{'x':1}}}");
        refused(400, () -> store.update("", "", bytes("{'state':{}}")));
        refused(400, () -> store.update("a".repeat(129), "", bytes("{'state':{}}")));
        ShadowException e = refused(400, () -> store.update("press/01", "", bytes("{'state':{}}")));
        assertTrue(e.getMessage().contains("thing name"), e.getMessage());
        refused(400, () -> store.update("pressé", "", bytes("{'state':{}}")));
        refused(400, () -> store.get("press 01", ""));
    }

    @Test
    void shadowNameIs1To64BytesOfTheAllowedSet() throws Exception {
        update(store, "t", "s".repeat(64), "{'state':{'reported':{'x':1}}}");
        ShadowException e = refused(400, () -> store.update("t", "s".repeat(65), bytes("{'state':{}}")));
        assertTrue(e.getMessage().contains("shadow name"), e.getMessage());
        refused(400, () -> store.update("t", "a.b", bytes("{'state':{}}")));
    }

    @Test
    void classicAndNamedShadowsAreSeparate() throws Exception {
        update(store, "t", ShadowStore.CLASSIC, "{'state':{'reported':{'a':1}}}");
        update(store, "t", "config", "{'state':{'reported':{'b':2}}}");
        update(store, "t", "config", "{'state':{'reported':{'b':3}}}");
        assertEquals(1, store.get("t", "").version());
        assertEquals(2, store.get("t", "config").version());
        assertEquals(tree(bytes("{'a':1}")), tree(store.get("t", "").reported()));
        assertEquals(List.of("", "config"), store.shadows("t"));
        assertEquals(java.util.Set.of("t"), store.things());
        store.delete("t", "config", null);
        assertEquals(List.of(""), store.shadows("t"));
        assertEquals(1, store.get("t", "").version());
    }

    // ------------------------------------------------------------ merge

    @Test
    void objectsMergeRecursively() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'spindle':{'speed':100,'dir':'cw'},'mode':'auto'}}}");
        update(store, "t", "", "{'state':{'desired':{'spindle':{'speed':200}}}}");
        assertEquals(tree(bytes("{'spindle':{'speed':200,'dir':'cw'},'mode':'auto'}")),
                tree(store.get("t", "").desired()));
    }

    /** Thing t's reported state after these update requests, in order. */
    private JsonNode reportedAfter(String... requests) throws Exception {
        for (String request : requests) {
            update(store, "t", "", request);
        }
        return tree(store.get("t", "").reported());
    }

    @Test
    void scalarsReplaceAndObjectsReplaceScalars() throws Exception {
        assertEquals(tree(bytes("{'a':{'x':true},'b':'flat'}")), reportedAfter(
                "{'state':{'reported':{'a':1,'b':{'c':1}}}}", "{'state':{'reported':{'a':{'x':true},'b':'flat'}}}"));
    }

    @Test
    void nullRemovesAField() throws Exception {
        update(store, "t", "", "{'state':{'reported':{'a':1,'b':{'c':1,'d':2}}}}");
        update(store, "t", "", "{'state':{'reported':{'a':null,'b':{'c':null},'nothere':null}}}");
        ShadowDocument d = store.get("t", "");
        assertEquals(tree(bytes("{'b':{'d':2}}")), tree(d.reported()));
        JsonNode meta = tree(d.metadata()).get("reported");
        assertFalse(meta.has("a"), "metadata of a removed field goes too");
        assertFalse(meta.get("b").has("c"));
    }

    @Test
    void nullSectionRemovesTheSection() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'a':1},'reported':{'a':2}}}");
        update(store, "t", "", "{'state':{'desired':null}}");
        ShadowDocument d = store.get("t", "");
        assertTrue(d.desired().isEmpty());
        assertTrue(d.delta().isEmpty());
        assertFalse(d.metadata().containsKey("desired"));
        assertEquals(tree(bytes("{'a':2}")), tree(d.reported()));
        assertEquals(2, d.version());
    }

    @Test
    void arraysAreReplacedWhole() throws Exception {
        assertEquals(tree(bytes("{'list':[9],'objs':[{'b':2}]}")), reportedAfter(
                "{'state':{'reported':{'list':[1,2,3],'objs':[{'a':1}]}}}",
                "{'state':{'reported':{'list':[9],'objs':[{'b':2}]}}}"));
    }

    // ------------------------------------------------------------ version

    @Test
    void versionStartsAtOneAndCountsEveryAcceptedUpdate() throws Exception {
        assertEquals(1, update(store, "t", "", "{'state':{'reported':{'a':1}}}").get("version").asLong());
        assertEquals(2, update(store, "t", "", "{'state':{'reported':{'a':1}}}").get("version").asLong());
        assertEquals(3, update(store, "t", "", "{'state':{'reported':{'a':2}},'version':2}").get("version").asLong());
        assertEquals(3, store.get("t", "").version());
    }

    @Test
    void versionConflictIs409AndChangesNothing() throws Exception {
        update(store, "t", "", "{'state':{'reported':{'a':1}}}");
        update(store, "t", "", "{'state':{'reported':{'a':2}}}");
        ShadowException e = refused(409, () -> store.update("t", "", bytes(
                "{'state':{'reported':{'a':3}},'version':1,'clientToken':'c1'}")));
        assertEquals("c1", e.clientToken());
        assertTrue(e.getMessage().contains("version"), e.getMessage());
        assertUntouched("t", 2, "{'a':2}");
        refused(409, () -> store.update("t", "", new ShadowUpdate(null, Map.of("a", 4), 7L, null)));
        assertUntouched("t", 2, "{'a':2}");
    }

    @Test
    void badVersionIs400() throws Exception {
        refused(400, () -> store.update("t", "", bytes("{'state':{},'version':'7'}")));
        refused(400, () -> store.update("t", "", bytes("{'state':{},'version':1.5}")));
        refused(400, () -> store.update("t", "", bytes("{'state':{},'version':-1}")));
    }

    @Test
    void deleteThenUpdateContinuesTheVersionLikeAwsIot() throws Exception {
        update(store, "t", "", "{'state':{'reported':{'a':1}}}");
        update(store, "t", "", "{'state':{'reported':{'a':2}}}");
        refused(409, () -> store.delete("t", "", 1L));
        store.delete("t", "", 2L);
        refused(404, () -> store.get("t", ""));
        refused(404, () -> store.delete("t", "", null));
        JsonNode answer = update(store, "t", "", "{'state':{'reported':{'b':1}}}");
        assertEquals(3, answer.get("version").asLong(), "a shadow deleted within 48 h continues its version");
        assertEquals(tree(bytes("{'b':1}")), tree(store.get("t", "").reported()), "nothing of the old one is left");
    }

    // ------------------------------------------------------------ delta

    @Test
    void deltaIsComputedRecursively() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'spindle':{'speed':100,'dir':'cw'},'mode':'auto','light':'on'},"
                + "'reported':{'spindle':{'speed':90,'dir':'cw'},'mode':'auto'}}}");
        assertEquals(tree(bytes("{'spindle':{'speed':100},'light':'on'}")), state("t", "").get("delta"));
        update(store, "t", "", "{'state':{'reported':{'spindle':{'speed':100},'light':'on'}}}");
        assertTrue(store.get("t", "").delta().isEmpty());
    }

    @Test
    void deltaComparesArraysWhole() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'list':[1,2]},'reported':{'list':[1,2,3]}}}");
        assertEquals(tree(bytes("{'list':[1,2]}")), state("t", "").get("delta"));
        update(store, "t", "", "{'state':{'reported':{'list':[1,2]}}}");
        assertTrue(store.get("t", "").delta().isEmpty());
    }

    @Test
    void numbersCompareByValue() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'a':1,'b':[1,2.50],'c':{'d':100}},"
                + "'reported':{'a':1.0,'b':[1.0,2.5],'c':{'d':1.00e2}}}}");
        assertTrue(store.get("t", "").delta().isEmpty(), "1 equals 1.0");
        update(store, "t", "", "{'state':{'reported':{'a':1.01}}}");
        assertEquals(tree(bytes("{'a':1}")), state("t", "").get("delta"));
    }

    // ------------------------------------------------------------ metadata and answers

    @Test
    void metadataHasATimestampOnEveryWrittenLeaf() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        update(store, "t", "", "{'state':{'desired':{'spindle':{'speed':1}},'reported':{'list':[1],'on':true}}}");
        long after = System.currentTimeMillis() / 1000;
        ShadowDocument d = store.get("t", "");
        JsonNode meta = tree(d.metadata());
        long ts = meta.at("/desired/spindle/speed/timestamp").asLong();
        assertTrue(ts >= before && ts <= after, "timestamp in epoch seconds: " + ts);
        assertTrue(meta.at("/reported/list/timestamp").isNumber());
        assertTrue(meta.at("/reported/on/timestamp").isNumber());
        assertTrue(d.timestamp() >= before && d.timestamp() <= after);
    }

    @Test
    void annotationsSitBesideTheLeafTimestamp() throws Exception {
        Map<String, Object> reported = Map.of("spindle", Map.of("speed", 1200), "temp", 40);
        store.update("m1", "", new ShadowUpdate(null, reported, null, null,
                Map.of("reported.spindle.speed", Map.of("quality", "BAD", "reason", "sensor open circuit"))));
        JsonNode speed = tree(store.get("m1", "").metadata()).at("/reported/spindle/speed");
        assertEquals("BAD", speed.get("quality").asText());
        assertEquals("sensor open circuit", speed.get("reason").asText());
        assertTrue(speed.get("timestamp").isNumber());

        // an annotation alone (the outcome of a write, say) keeps the value and its timestamp
        Map<String, Object> clearReason = new HashMap<>();
        clearReason.put("quality", "GOOD");
        clearReason.put("reason", null);
        store.update("m1", "", new ShadowUpdate(null, null, null, null, Map.of("reported.spindle.speed", clearReason)));
        speed = tree(store.get("m1", "").metadata()).at("/reported/spindle/speed");
        assertEquals("GOOD", speed.get("quality").asText());
        assertFalse(speed.has("reason"));

        // a new value starts with fresh metadata
        store.update("m1", "", ShadowUpdate.reported(Map.of("spindle", Map.of("speed", 1300))));
        speed = tree(store.get("m1", "").metadata()).at("/reported/spindle/speed");
        assertFalse(speed.has("quality"));
        refused(400, () -> store.update("m1", "", new ShadowUpdate(null, null, null, null,
                Map.of("spindle.speed", Map.of("q", 1)))));
        refused(400, () -> store.update("m1", "", new ShadowUpdate(null, null, null, null,
                Map.of("reported.temp", Map.of("timestamp", 1)))));
    }

    @Test
    void acceptedAnswerEchoesOnlyWhatWasSent() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'x':1},'reported':{'a':1,'b':2}}}");
        JsonNode answer = update(store, "t", "", "{'state':{'reported':{'b':3,'a':null}},'clientToken':'tok-1'}");
        assertEquals(tree(bytes("{'reported':{'b':3,'a':null}}")), answer.get("state"));
        assertEquals(List.of("reported"), names(answer.get("metadata")));
        assertEquals(List.of("a", "b"), sorted(names(answer.get("metadata").get("reported"))));
        assertTrue(answer.at("/metadata/reported/b/timestamp").isNumber());
        assertEquals(2, answer.get("version").asLong());
        assertTrue(answer.get("timestamp").isNumber());
        assertEquals("tok-1", answer.get("clientToken").asText());
        assertEquals(List.of("clientToken", "metadata", "state", "timestamp", "version"), sorted(names(answer)));
        assertFalse(update(store, "t", "", "{'state':{'reported':{'c':1}}}").has("clientToken"));
    }

    @Test
    void getReturnsTheWholeDocumentWithDelta() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'a':2},'reported':{'a':1,'b':1}}}");
        ShadowDocument d = store.get("t", "");
        assertEquals("t", d.thing());
        assertEquals("", d.shadow());
        assertEquals(tree(bytes("{'a':2}")), tree(d.desired()));
        assertEquals(tree(bytes("{'a':1,'b':1}")), tree(d.reported()));
        assertEquals(tree(bytes("{'a':2}")), tree(d.delta()));
        assertEquals(List.of("desired", "reported"), sorted(new ArrayList<>(d.metadata().keySet())));
        assertEquals(1, d.version());
    }

    // ------------------------------------------------------------ errors and limits

    @Test
    void clientTokenOver64BytesIs400AndIsEchoed() throws Exception {
        JsonNode ok = update(store, "t", "", "{'state':{},'clientToken':'" + "c".repeat(64) + "'}");
        assertEquals("c".repeat(64), ok.get("clientToken").asText());
        ShadowException e = refused(400, () -> store.update("t", "", bytes("{'state':{},'clientToken':'"
                + "ü".repeat(33) + "'}")));
        assertTrue(e.getMessage().startsWith("clientToken"), e.getMessage());
    }

    @Test
    void aNumberBeyondTheRangeOfADoubleIs400NamingTheField() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'x':1}}}");
        ShadowException e = refused(400, () -> store.update("t", "", bytes("{'state':{'desired':{'a':{'b':1e999}}}}")));
        assertEquals("Number out of range at state.desired.a.b: Infinity (a value must be a finite number)",
                e.getMessage());
        e = refused(400, () -> store.update("t", "", bytes("{'state':{'reported':{'c':[-1e999]}}}")));
        assertTrue(e.getMessage().startsWith("Number out of range at state.reported.c[0]"), e.getMessage());
        assertEquals(1, store.get("t", "").version(), "nothing of the refused updates was stored");
    }

    @Test
    void nestingDeeperThanSixLevelsIs400NamingTheField() throws Exception {
        update(store, "t", "", "{'state':{'desired':{'a':{'b':{'c':{'d':{'e':{'f':1}}}}}}}}");
        ShadowException e = refused(400, () -> store.update("t", "", bytes(
                "{'state':{'desired':{'a':{'b':{'c':{'d':{'e':{'f':{'g':1}}}}}}}}}")));
        assertEquals("JSON contains too many levels of nesting; maximum is 6 (at state.desired.a.b.c.d.e.f.g)", e.getMessage());
        e = refused(400, () -> store.update("t", "", bytes("{'state':{'reported':{'a':[[[[[[1]]]]]]}}}")));
        assertTrue(e.getMessage().endsWith("(at state.reported.a[0][0][0][0][0][0])"), e.getMessage());
        assertEquals(1, store.get("t", "").version());
    }

    @Test
    void stateLargerThanTheLimitIs413AndChangesNothing() throws Exception {
        update(store, "t", "", "{'state':{'reported':{'a':'" + "x".repeat(5000) + "'}}}");
        ShadowException e = refused(413, () -> store.update("t", "", bytes("{'state':{'reported':{'b':'"
                + "y".repeat(9000) + "'}}}")));
        assertTrue(e.getMessage().startsWith("The payload exceeds the maximum size allowed: state is"), e.getMessage());
        // each request is small, together they are too big
        refused(413, () -> store.update("t", "", bytes("{'state':{'desired':{'b':'" + "y".repeat(4000) + "'}}}")));
        assertUntouched("t", 1, "{'a':'" + "x".repeat(5000) + "'}");
        assertTrue(store.get("t", "").desired().isEmpty());
    }

    @Test
    void metadataDoesNotCountTowardTheSizeLimit() throws Exception {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            fields.append(i == 0 ? "" : ",").append("'f").append(i).append("':").append(i % 10);
        }
        // about 3.5 KB of state and well over 8 KB of metadata
        update(store, "t", "", "{'state':{'reported':{" + fields + "}}}");
        assertEquals(400, store.get("t", "").reported().size());
    }

    @Test
    void notUtf8Is415() {
        byte[] latin1 = "{\"state\":{\"reported\":{\"name\":\"Fräse\"}}}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        refused(415, () -> store.update("t", "", latin1));
        refused(404, () -> store.get("t", ""));
    }

    @Test
    void malformedJsonIs400() {
        ShadowException e = refused(400, () -> store.update("t", "", bytes("{'state':{'reported':{'a':1}}")));
        assertTrue(e.getMessage().startsWith("Invalid JSON: "), e.getMessage());
        refused(400, () -> store.update("t", "", bytes("{'state':{}} trailing")));
        refused(400, () -> store.update("t", "", bytes("{'state':{'reported':{'a':1,'a':2}}}")));
        refused(400, () -> store.update("t", "", new byte[0]));
        refused(400, () -> store.update("t", "", bytes("[1,2]")));
    }

    @Test
    void stateMustBeThereAndHoldOnlyDesiredAndReportedObjects() {
        assertEquals("Missing required node: state",
                refused(400, () -> store.update("t", "", bytes("{'clientToken':'x'}"))).getMessage());
        refused(400, () -> store.update("t", "", bytes("{'state':7}")));
        refused(400, () -> store.update("t", "", bytes("{'state':{'desired':[1]}}")));
        refused(400, () -> store.update("t", "", bytes("{'state':{'reported':'on'}}")));
        ShadowException e = refused(400, () -> store.update("t", "", bytes("{'state':{'delta':{'a':1}}}")));
        assertTrue(e.getMessage().startsWith("State contains an invalid node: 'delta'"), e.getMessage());
    }

    @Test
    void unknownShadowIs404() throws Exception {
        refused(404, () -> store.get("nobody", ""));
        refused(404, () -> store.get("t", "named"));
        refused(404, () -> store.delete("nobody", "", null));
        update(store, "t", "", "{'state':{'reported':{'a':1}}}");
        ShadowException e = refused(404, () -> store.get("t", "named"));
        assertTrue(e.getMessage().contains("named"), e.getMessage());
    }

    @Test
    void tooManyRequestsInFlightIs429() throws Exception {
        store.close();
        store = Stores.open(dir, 2);
        Gate writer = Gate.closed(10);
        store.beforeBatch = writer;
        List<CompletableFuture<JsonNode>> waiting = new ArrayList<>();
        waiting.add(CompletableFuture.supplyAsync(() -> send("{'state':{'reported':{'a':1}}}")));
        assertTrue(writer.reached(5));
        waiting.add(CompletableFuture.supplyAsync(() -> send("{'state':{'reported':{'a':2}}}")));
        waiting.add(CompletableFuture.supplyAsync(() -> send("{'state':{'reported':{'a':3}}}")));
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> store.queued() == 2);
        ShadowException e = refused(429,
                () -> store.update("t", "", bytes("{'state':{'reported':{'a':4}},'clientToken':'late'}")));
        assertEquals("late", e.clientToken());
        writer.open();
        for (CompletableFuture<JsonNode> f : waiting) {
            assertTrue(f.get(5, TimeUnit.SECONDS).get("version").asLong() >= 1);
        }
        assertEquals(3, store.get("t", "").version());
    }

    private JsonNode send(String json) {
        try {
            return update(store, "t", "", json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void objectFormFollowsTheSameRules() throws Exception {
        Map<String, Object> desired = new HashMap<>();
        desired.put("speed", 10);
        ShadowDocument d = store.update("t", "", ShadowUpdate.desired(desired));
        assertEquals(1, d.version());
        assertEquals(Map.of("speed", 10L), d.delta());
        desired.put("speed", null);
        d = store.update("t", "", new ShadowUpdate(desired, Map.of("x", 1), 1L, "tok"));
        assertTrue(d.desired().isEmpty());
        assertEquals(2, d.version());
        refused(400, () -> store.update("t", "", ShadowUpdate.reported(Map.of("a", Map.of("b", Map.of("c", Map.of(
                "d", Map.of("e", Map.of("f", Map.of("g", 1))))))))));
        refused(413, () -> store.update("t", "", ShadowUpdate.reported(Map.of("a", "x".repeat(9000)))));
        refused(400, () -> store.update("t", "", new ShadowUpdate(null, null, null, "t".repeat(65))));
    }

    @Test
    void refusedRequestsLeaveNoShadowBehind() {
        refused(413, () -> store.update("fresh", "", bytes("{'state':{'reported':{'a':'" + "x".repeat(9000) + "'}}}")));
        refused(409, () -> store.update("fresh", "", bytes("{'state':{'reported':{'a':1}},'version':3}")));
        refused(404, () -> store.get("fresh", ""));
        assertFalse(store.things().contains("fresh"));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }
}
