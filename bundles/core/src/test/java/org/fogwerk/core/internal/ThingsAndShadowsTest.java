package org.fogwerk.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry.Target;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.RecordingShadowStore;
import org.fogwerk.testing.TestMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class ThingsAndShadowsTest {

    private final PressOnTheBus node = new PressOnTheBus();
    private final ConnectorRegistryImpl connectors = node.connectors;
    private final TestMachine press = node.press;
    private ThingRegistryImpl things;
    private RecordingShadowStore store;

    @BeforeEach
    void start() {
        connectors.addConnector(new TestMachine("line2"));
        things = new ThingRegistryImpl(connectors);
        store = new RecordingShadowStore();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static ThingSource source(String file, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/" + file);
        ThingConfig config = Converters.standardConverter().convert(props).to(ThingConfig.class);
        return new ThingSource(config, props);
    }

    private ReportedStateWriter writer(long intervalMillis) {
        return new ReportedStateWriter(things, store, Converters.standardConverter()
                .convert(Map.of("report.interval", intervalMillis)).to(ReportedStateConfig.class));
    }

    @Test
    void aMappingToATagTheConnectionDoesNotHaveIsWarnedWithFileKeyAndNearestTag() {
        things.addSource(source("org.fogwerk.thing-press-a.cfg", Map.of("map.spindle.speed", "press01/sped",
                "map.temperature", "press01/temperature", "map.later", "line9/anything")));
        assertEquals(List.of("etc/org.fogwerk.thing-press-a.cfg: map.spindle.speed = press01/sped: connection press01 "
                + "has no tag sped; did you mean speed?"), things.mappingWarnings());

        // a connection that comes later is checked when its tags are known
        TestMachine line9 = new TestMachine("line9");
        things.addConnector(line9);
        assertEquals(2, things.mappingWarnings().size());
        assertTrue(things.mappingWarnings().contains("etc/org.fogwerk.thing-press-a.cfg: map.later = line9/anything: "
                + "connection line9 has no tag anything"), things.mappingWarnings().toString());
        things.addConnector(line9);
        assertEquals(2, things.mappingWarnings().size(), "each mistake is told once");
    }

    @Test
    void aThingFileMapsTagsToNestedFieldsWithTypeAndAttributes() {
        things.addSource(source("org.fogwerk.thing-pressA.cfg", Map.of("type", "press", "attribute.line", "2",
                "map.spindle.speed", "press01/speed", "map.temperature", "press01/temperature")));

        Thing thing = things.thing("pressA").orElseThrow();
        assertEquals("press", thing.type());
        assertEquals(Map.of("line", "2"), thing.attributes());
        assertEquals(List.of(new Target("pressA", "", "spindle.speed")), things.targets("press01", "speed"));
        // press01 is mapped by pressA, so it is no thing of its own any more; line2 still is
        assertTrue(things.thing("press01").isEmpty());
        assertTrue(things.thing("line2").orElseThrow().implicit());
        assertEquals(List.of("line2", "pressA"), things.things().stream().map(Thing::name).toList());
    }

    @Test
    void withoutThingFilesEachConnectionIsAThingWithItsTagsAsFields() {
        assertEquals(List.of(new Target("press01", "", "speed")), things.targets("press01", "speed"));
        Thing implicit = things.thing("press01").orElseThrow();
        assertEquals(List.of("speed", "temperature"), implicit.mappings().stream().map(m -> m.field()).toList());
    }

    @Test
    void aBadThingFileNamesFileAndKeyAndMapsNothing() {
        things.addSource(source("org.fogwerk.thing-broken.cfg", Map.of("map.speed", "press01")));
        Thing broken = things.thing("broken").orElseThrow();
        assertEquals("etc/org.fogwerk.thing-broken.cfg: map.speed = press01 is invalid: use <connection>/<tag>",
                broken.error());
        assertEquals("press01", things.targets("press01", "speed").get(0).thing());

        things.addSource(source("org.fogwerk.thing-overlap.cfg", Map.of("map.a", "press01/speed", "map.a.b",
                "press01/temperature")));
        assertTrue(things.thing("overlap").orElseThrow().error().contains("overlap"));
        things.addSource(source("org.fogwerk.thing-x.cfg", Map.of("name", "bad name!")));
        assertTrue(things.thing("bad name!").orElseThrow().error().contains("name = 'bad name!' is invalid"));
    }

    @Test
    void reportedStateFollowsTheTagsCoalescedPerThingWithQualityInMetadata() {
        ReportedStateWriter writer = writer(300);
        try {
            List<TagValue> burst = new java.util.ArrayList<>();
            for (long i = 0; i < 1000; i++) {
                burst.add(TagValue.good("press01", "speed", i));
            }
            burst.add(TagValue.bad("press01", "temperature", "Bad_NodeIdUnknown"));
            writer.onValues(burst);

            await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(999).equals(store.reported("press01").get("speed")));
            assertTrue(store.writes.size() <= 2, "1,000 changes were written as " + store.writes.size() + " versions");
            RecordingShadowStore.Write last = store.writes.get(store.writes.size() - 1);
            assertEquals("BAD", last.update().annotations().get("reported.temperature").get("quality"));
            assertEquals("Bad_NodeIdUnknown", last.update().annotations().get("reported.temperature").get("reason"));
            assertFalse(last.update().reported().containsKey("temperature"), "a value that could not be read is not written");

            long before = System.currentTimeMillis();
            writer.onValues(List.of(TagValue.good("press01", "speed", 5000L)));
            await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(5000).equals(store.reported("press01").get("speed")));
            assertTrue(System.currentTimeMillis() - before < 1000, "a value waits at most one interval");
        } finally {
            writer.deactivate();
        }
    }

    @Test
    void aNewThingAndADeletedShadowGetTheLatestValueOfTagsThatDoNotChange() throws Exception {
        ReportedStateWriter writer = writer(10);
        writer.reportFrom(node.bus);
        try {
            // a set point the machine reported once, long ago, and never changed since
            node.bus.publish(TagValue.good("press01", "speed", 1200L));
            await().atMost(Duration.ofSeconds(5)).until(() -> node.bus.latest("press01", "speed").isPresent());
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);

            things.addSource(source("org.fogwerk.thing-press02.cfg", Map.of("map.setpoint", "press01/speed")));
            await().atMost(Duration.ofSeconds(5)).until(() -> Long.valueOf(1200).equals(store.reported("press02").get("setpoint")));

            int before = store.writes.size();
            writer.deleted("press02", "", 3);
            await().atMost(Duration.ofSeconds(5)).until(() -> store.writes.size() > before);
            RecordingShadowStore.Write again = store.writes.get(store.writes.size() - 1);
            assertEquals("press02", again.thing());
            assertEquals(Map.of("setpoint", 1200L), again.update().reported());
        } finally {
            writer.deactivate();
        }
    }

    @Test
    void dottedFieldsBecomeNestedObjects() {
        things.addSource(source("org.fogwerk.thing-pressA.cfg", Map.of("map.spindle.speed", "press01/speed")));
        ReportedStateWriter writer = writer(10);
        try {
            writer.onValues(List.of(TagValue.good("press01", "speed", 42L)));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.reported("pressA").containsKey("spindle"));
            assertEquals(Map.of("speed", 42L), store.reported("pressA").get("spindle"));
        } finally {
            writer.deactivate();
        }
    }

    @Test
    void aDeltaOnAWritableTagBecomesOneCheckedWriteWithItsOutcomeRecorded() {
        CommandDispatcher dispatcher = new CommandDispatcher(things, connectors, new MemoryAuditTrail(), new CommandOrigins(),
                new WritePolicyService());
        dispatcher.store = store;
        try {
            ShadowDocument doc = new ShadowDocument("press01", "", Map.of("speed", 1200), Map.of("speed", 0),
                    Map.of("speed", 1200), Map.of(), 2, 0);
            dispatcher.delta(doc);
            dispatcher.delta(doc);
            await().atMost(Duration.ofSeconds(5)).until(() -> store.writes.size() == 1);
            assertEquals(List.of(1200L), press.written, "the same desired value is sent once");
            assertEquals("DONE", store.writes.get(0).update().annotations().get("desired.speed").get("command"));

            dispatcher.delta(new ShadowDocument("press01", "", Map.of("speed", 9000), Map.of("speed", 0),
                    Map.of("speed", 9000), Map.of(), 3, 0));
            await().atMost(Duration.ofSeconds(5)).until(() -> store.writes.size() == 2);
            Map<String, Object> refused = store.writes.get(1).update().annotations().get("desired.speed");
            assertEquals("REFUSED", refused.get("command"));
            assertTrue(refused.get("reason").toString().contains("above the maximum"));
            assertEquals(List.of(1200L), press.written);
        } finally {
            dispatcher.deactivate();
        }
    }

    @Test
    void implicitThingsMayCarryTheNodeIdSoTwoNodesKeepThemApart() {
        ThingRegistryImpl named = new ThingRegistryImpl(connectors, "{node}-{connection}", "hall3");
        // beside the connections' things, the node's own thing, whose shadow orders its software
        assertEquals(List.of("hall3", "hall3-line2", "hall3-press01"), named.things().stream().map(Thing::name).toList());
        assertTrue(named.thing("hall3-press01").isPresent());
        assertEquals("hall3-press01", named.thing("hall3-press01").get().name());
        assertFalse(named.thing("press01").isPresent(), "the bare connection name is no thing of this node");
        assertFalse(named.thing("hall3-").isPresent());
        assertFalse(named.thing("hall4-press01").isPresent());
        assertEquals(List.of(new Target("hall3-press01", "", "speed")), named.targets("press01", "speed"));
    }

    @Test
    void aChangeOfTheThingsFileIsTakenInPlaceAndAnEditThatChangesNothingChangesNothing() {
        ThingRegistryImpl named = new ThingRegistryImpl(connectors, "{node}-{connection}", "hall3");
        long before = named.generation();
        // a comment or an unknown key added: the same settings
        named.modified(Converters.standardConverter().convert(Map.of("implicit.name", "{node}-{connection}",
                "implicit.nmae", "x")).to(ThingsConfig.class), Map.of());
        assertEquals(before, named.generation(), "nothing rebuilt");
        named.modified(Converters.standardConverter().convert(Map.of("implicit.name", "line-{connection}"))
                .to(ThingsConfig.class), Map.of());
        assertTrue(named.generation() > before);
        assertTrue(named.thing("line-press01").isPresent());
        assertFalse(named.thing("hall3-press01").isPresent());
        assertEquals(List.of(new Target("line-press01", "", "speed")), named.targets("press01", "speed"));
    }

    @Test
    void aThingFileOfBinaryGarbageIsRefusedNamingTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("org.fogwerk.thing-junk.cfg"),
                new byte[] {'m', 'a', 'p', '.', 'x', '=', 0, 1, (byte) 0xfe});
        Map<String, Object> props = new HashMap<>(Map.of("map.x", "press01/temp"));
        props.put("felix.fileinstall.filename", file.toUri().toString());
        ThingSource junk = new ThingSource(Converters.standardConverter().convert(props).to(ThingConfig.class), props);
        assertTrue(junk.thing().error().startsWith(file + ": not a text file"), junk.thing().error());
        assertTrue(junk.thing().mappings().isEmpty(), "nothing of a refused file is mapped");
    }
}
