package org.fogwerk.uplink.aws.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.Things;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.fogwerk.uplink.aws.internal.CloudShadowSync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profile aws-iot against a cloud played on a Mosquitto of the test's own: a real shadow store
 * behind the AWS shadow topics (the node's own {@code shadow.topics=aws} service on a second
 * store), which answers with the documents and errors of the spec.
 */
class AwsShadowSyncTest {

    private static final Logger LOG = LoggerFactory.getLogger(AwsShadowSyncTest.class);

    @TempDir
    Path dir;

    private TestSupport.Mosquitto broker;
    private ShadowStoreImpl deviceStore;
    private ShadowStoreImpl cloudStore;
    private ConflictingStore cloudFront;
    private MqttUplink cloud;
    private AwsTestSupport.Built device;
    private String thing;

    /** The cloud's store, which can answer versioned updates with 409 the way a busy cloud does. */
    static final class ConflictingStore implements ShadowStore {
        final ShadowStoreImpl store;
        /** Versioned updates still to be preceded by a write of another client. */
        final AtomicInteger interfere = new AtomicInteger();
        /** Versioned updates still to be refused with 409 outright. */
        volatile boolean refuseAll;
        final AtomicInteger versionedUpdates = new AtomicInteger();

        ConflictingStore(ShadowStoreImpl store) {
            this.store = store;
        }

        @Override
        public byte[] update(String thing, String shadow, byte[] json) throws ShadowException {
            if (new String(json, StandardCharsets.UTF_8).contains("\"version\"")) {
                versionedUpdates.incrementAndGet();
                if (refuseAll) {
                    throw new ShadowException(409, "version conflict", null);
                }
                if (interfere.getAndDecrement() > 0) {
                    store.update(thing, shadow, new ShadowUpdate(Map.of("mode", "cloud-edit"), null, null, "other-app"));
                }
            }
            return store.update(thing, shadow, json);
        }

        @Override
        public ShadowDocument get(String thing, String shadow) throws ShadowException {
            return store.get(thing, shadow);
        }

        @Override
        public ShadowDocument update(String thing, String shadow, ShadowUpdate update) throws ShadowException {
            return store.update(thing, shadow, update);
        }

        @Override
        public void delete(String thing, String shadow, Long expectedVersion) throws ShadowException {
            store.delete(thing, shadow, expectedVersion);
        }

        @Override
        public long delete(String thing, String shadow, Long expectedVersion, String clientToken)
                throws ShadowException {
            return store.delete(thing, shadow, expectedVersion, clientToken);
        }

        @Override
        public Set<String> things() {
            return store.things();
        }

        @Override
        public List<String> shadows(String thing) {
            return store.shadows(thing);
        }
    }

    @BeforeEach
    void start() throws Exception {
        thing = "press-" + UUID.randomUUID().toString().substring(0, 8);
        // like AWS IoT Core, the broker sends small messages at once (no Nagle delay)
        broker = new TestSupport.Mosquitto(dir, "set_tcp_nodelay true");
        deviceStore = ShadowStores.open(dir.resolve("device-shadows"));
        cloudStore = ShadowStores.open(dir.resolve("cloud-shadows"));
        cloudFront = new ConflictingStore(cloudStore);
        cloud = AwsTestSupport.built("cloud", map("broker.urls", broker.url(), "shadow.topics", "aws",
                "command.topic", "", "reconnect.min.ms", 100, "reconnect.max.ms", 400), dir, cloudFront, cloudStore)
                .uplink();
    }

    private void startDevice(Object... extra) throws Exception {
        startDevice(TestSupport.openGateway(deviceStore), extra);
    }

    private void startDevice(WriteGateway gateway, Object... extra) throws Exception {
        Map<String, Object> values = map("profile", "aws-iot", "broker.urls", broker.url(), "aws.thing.name", thing,
                "aws.reply.timeout.ms", 2000, "reconnect.min.ms", 100, "reconnect.max.ms", 400);
        values.putAll(map(extra));
        device = AwsTestSupport.built("device", values, dir, deviceStore, deviceStore, gateway);
    }

    @AfterEach
    void stop() throws Exception {
        if (device != null) {
            device.uplink().close();
        }
        cloud.close();
        deviceStore.close();
        cloudStore.close();
        broker.close();
    }

    private static Map<String, Object> state(ShadowStore store, String thing, String shadow, boolean desired) {
        try {
            ShadowDocument d = store.get(thing, shadow);
            return desired ? d.desired() : d.reported();
        } catch (ShadowException e) {
            return e.code() == 404 ? null : Map.of("error", e.getMessage());
        }
    }

    private void awaitBoth(String shadow, Map<String, Object> desired, Map<String, Object> reported) {
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> desired.equals(state(deviceStore, thing, shadow, true))
                    && desired.equals(state(cloudStore, thing, shadow, true))
                    && reported.equals(state(deviceStore, thing, shadow, false))
                    && reported.equals(state(cloudStore, thing, shadow, false)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("expected desired " + desired + " reported " + reported + "; device "
                    + state(deviceStore, thing, shadow, true) + " / " + state(deviceStore, thing, shadow, false)
                    + "; cloud " + state(cloudStore, thing, shadow, true) + " / "
                    + state(cloudStore, thing, shadow, false), e);
        }
    }

    private void awaitGone(ShadowStore store, String shadow) {
        await().atMost(Duration.ofSeconds(15)).until(() -> state(store, thing, shadow, true) == null);
    }

    /** Neither side writes again: nothing bounces between them. */
    private void assertQuiet(String shadow) throws Exception {
        long d = deviceStore.get(thing, shadow).version();
        long c = cloudStore.get(thing, shadow).version();
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).until(() ->
                deviceStore.get(thing, shadow).version() == d && cloudStore.get(thing, shadow).version() == c);
    }

    private static long millisUntil(Supplier<Boolean> condition) {
        long start = System.nanoTime();
        await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10)).until(condition::get);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void changesTravelBothWaysAtOnceAndDoNotBounce() throws Exception {
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 1)));
        cloudStore.update(thing, "", ShadowUpdate.desired(Map.of("mode", "auto")));
        startDevice();
        // first sync: different fields on both sides, no base yet: the union
        awaitBoth("", Map.of("mode", "auto"), Map.of("speed", 1L));
        assertQuiet("");

        long[] up = new long[20];
        long[] down = new long[20];
        for (int i = 0; i < 20; i++) {
            long value = 100 + i;
            deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", value)));
            up[i] = millisUntil(() -> Long.valueOf(value).equals(state(cloudStore, thing, "", false).get("speed")));
            cloudStore.update(thing, "", ShadowUpdate.desired(Map.of("target", value)));
            down[i] = millisUntil(() -> Long.valueOf(value).equals(state(deviceStore, thing, "", true).get("target")));
        }
        java.util.Arrays.sort(up);
        java.util.Arrays.sort(down);
        LOG.info("Shadow sync latency over 20 changes: local->cloud median {} ms max {} ms; cloud->local median {} ms max {} ms",
                up[10], up[19], down[10], down[19]);
        awaitBoth("", Map.of("mode", "auto", "target", 119L), Map.of("speed", 119L));
        assertQuiet("");
    }

    @Test
    void aCloudChangeThePolicyRefusesIsRefusedOnceAndTheNodesStateGoesBackUp() throws Exception {
        try (CoreNode core = new CoreNode()) {
            WriteGateway strict = core.gateway(Things.everyNameAThing(false), deviceStore,
                    "aws-cloud.allow = nothing/*", "aws-cloud.create = true");
            deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 1)));
            startDevice(strict);
            await().atMost(Duration.ofSeconds(15)).until(() -> cloudReportedSpeed() == 1L);

            // someone at the cloud console orders a value the node's policy does not let the cloud write
            cloudStore.update(thing, "", new ShadowUpdate(Map.of("target", 9), null, null, "console-1"));
            await().atMost(Duration.ofSeconds(15)).until(() -> refusedByPolicy(core) == 1);
            // the machine keeps reporting: each change goes up, the refused order does not come down again
            for (long v = 2; v <= 6; v++) {
                deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", v)));
                long expected = v;
                await().atMost(Duration.ofSeconds(15)).until(() -> cloudReportedSpeed() == expected);
            }
            assertEquals(1, refusedByPolicy(core), "refused once, not at every local change");
            // the node's state went up in its place: the refused order is gone from the cloud
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                Map<String, Object> desired = state(cloudStore, thing, "", true);
                return desired == null || !desired.containsKey("target");
            });
            assertTrue(state(deviceStore, thing, "", true) == null
                    || !state(deviceStore, thing, "", true).containsKey("target"));
        }
    }

    private long cloudReportedSpeed() {
        Map<String, Object> reported = state(cloudStore, thing, "", false);
        return reported == null || !(reported.get("speed") instanceof Number) ? -1
                : ((Number) reported.get("speed")).longValue();
    }

    private static long refusedByPolicy(CoreNode core) {
        return core.audit.events().stream().filter(e -> e.source().equals("aws-cloud") && e.outcome().equals("denied"))
                .count();
    }

    @Test
    void offlineEditsOnBothSidesMergePerFieldOnReconnect() throws Exception {
        deviceStore.update(thing, "", new ShadowUpdate(Map.of("target", 5, "mode", "manual", "gone", 1),
                Map.of("speed", 1, "old", "x"), null, null));
        startDevice();
        awaitBoth("", Map.of("target", 5L, "mode", "manual", "gone", 1L), Map.of("speed", 1L, "old", "x"));

        broker.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> !device.uplink().status().state().name().equals("CONNECTED"));
        Map<String, Object> deviceReported = new HashMap<>();
        deviceReported.put("speed", 2);
        deviceReported.put("old", null);
        deviceReported.put("extra", 7);
        deviceStore.update(thing, "", new ShadowUpdate(Map.of("target", 10), deviceReported, null, null));
        Map<String, Object> cloudDesired = new HashMap<>();
        cloudDesired.put("target", 20);
        cloudDesired.put("mode", "auto");
        cloudDesired.put("gone", null);
        cloudStore.update(thing, "", new ShadowUpdate(cloudDesired, Map.of("speed", 3, "note", "c"), null, null));
        broker.start();

        // the same field on both sides: reported takes the device's, desired the cloud's; removals travel
        awaitBoth("", Map.of("target", 20L, "mode", "auto"), Map.of("speed", 2L, "extra", 7L, "note", "c"));
        assertQuiet("");
    }

    @Test
    void deletesTravelBothWaysAndTheSyncBaseSurvivesARestart() throws Exception {
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("a", 1, "b", 2)));
        startDevice("aws.shadows", thing + "," + thing + ":recipe");
        awaitBoth("", Map.of(), Map.of("a", 1L, "b", 2L));

        try (AwsTestSupport.Console console = new AwsTestSupport.Console(broker.url(), thing)) {
            // a field removed in the cloud disappears on the node
            console.send("", "update", "{'state':{'reported':{'b':null}},'clientToken':'console-1'}");
            awaitBoth("", Map.of(), Map.of("a", 1L));

            // node stopped: the cloud removes a, the node adds c; only the stored base tells a was not new on the node
            device.uplink().close();
            device = null;
            Map<String, Object> removeA = new HashMap<>();
            removeA.put("a", null);
            cloudStore.update(thing, "", ShadowUpdate.reported(removeA));
            deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("c", 3)));
            startDevice("aws.shadows", thing + "," + thing + ":recipe");
            awaitBoth("", Map.of(), Map.of("c", 3L));

            // a named shadow deleted on the node is deleted in the cloud
            deviceStore.update(thing, "recipe", ShadowUpdate.desired(Map.of("batch", "A7")));
            awaitBoth("recipe", Map.of("batch", "A7"), Map.of());
            deviceStore.delete(thing, "recipe", null);
            awaitGone(cloudStore, "recipe");

            // the classic shadow deleted in the cloud is deleted on the node
            console.send("", "delete", "{'clientToken':'console-2'}");
            awaitGone(deviceStore, "");
            assertTrue(cloudStore.shadows(thing).isEmpty(), "the sync recreated nothing: " + cloudStore.shadows(thing));
        }
    }

    @Test
    void versionConflictsAreMergedAgainAndGiveUpWithoutAStorm() throws Exception {
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 1)));
        startDevice();
        awaitBoth("", Map.of(), Map.of("speed", 1L));

        // another application writes the cloud shadow just before the node's update: 409, merged again
        cloudFront.interfere.set(1);
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 2)));
        awaitBoth("", Map.of("mode", "cloud-edit"), Map.of("speed", 2L));
        assertTrue(((CloudShadowSync) device.session()).conflicts() >= 1);

        // a cloud that refuses every versioned update: a bounded number of attempts, then quiet
        cloudFront.refuseAll = true;
        int before = cloudFront.versionedUpdates.get();
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 3)));
        await().atMost(Duration.ofSeconds(15)).until(() -> cloudFront.versionedUpdates.get() - before
                == CloudShadowSync.MAX_ATTEMPTS);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                cloudFront.versionedUpdates.get() - before == CloudShadowSync.MAX_ATTEMPTS);

        // once the cloud takes updates again, the next change brings both sides together
        cloudFront.refuseAll = false;
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("temp", 40)));
        awaitBoth("", Map.of("mode", "cloud-edit"), Map.of("speed", 3L, "temp", 40L));
    }

    @Test
    void fullSyncOfManyShadowsAfterTheConnect() throws Exception {
        int n = 50;
        StringBuilder shadows = new StringBuilder();
        for (int i = 0; i < n; i++) {
            deviceStore.update(thing, "s" + i, ShadowUpdate.reported(Map.of("i", i)));
            cloudStore.update(thing, "s" + i, ShadowUpdate.desired(Map.of("want", i)));
            shadows.append(i == 0 ? "" : ",").append(thing).append(":s").append(i);
        }
        long start = System.nanoTime();
        startDevice("aws.shadows", shadows.toString());
        String last = "s" + (n - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(n - 1).equals(state(cloudStore, thing, last, false).get("i"))
                && Long.valueOf(n - 1).equals(state(deviceStore, thing, last, true).get("want")));
        long total = (System.nanoTime() - start) / 1_000_000;
        CloudShadowSync sync = (CloudShadowSync) device.session();
        await().atMost(Duration.ofSeconds(10)).until(() -> sync.lastFullSyncMillis() >= 0);
        LOG.info("Full sync of {} shadows (get and update each): {} ms after the connect, {} ms from the uplink's start",
                n, sync.lastFullSyncMillis(), total);
        for (int i = 0; i < n; i++) {
            awaitBoth("s" + i, Map.of("want", (long) i), Map.of("i", (long) i));
        }
    }

    @Test
    void deviceToCloudSendsTheNodesChangesAndLeavesTheCloudsOwnFields() throws Exception {
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 1)));
        cloudStore.update(thing, "", ShadowUpdate.desired(Map.of("note", "cloud only")));
        startDevice("aws.sync.direction", "device-to-cloud");
        await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1).equals(state(cloudStore, thing, "", false).get("speed")));
        cloudStore.update(thing, "", ShadowUpdate.desired(Map.of("mode", "auto")));
        Map<String, Object> removeSpeed = new HashMap<>();
        removeSpeed.put("speed", null);
        removeSpeed.put("temp", 40);
        deviceStore.update(thing, "", ShadowUpdate.reported(removeSpeed));
        await().atMost(Duration.ofSeconds(10)).until(() -> Map.of("temp", 40L).equals(state(cloudStore, thing, "", false)));
        assertEquals(Map.of("note", "cloud only", "mode", "auto"), state(cloudStore, thing, "", true));
        assertEquals(Map.of(), state(deviceStore, thing, "", true), "nothing comes down");
    }

    @Test
    void cloudToDeviceBringsTheCloudsChangesAndSendsNothingUp() throws Exception {
        cloudStore.update(thing, "", ShadowUpdate.desired(Map.of("mode", "auto")));
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 1)));
        startDevice("aws.sync.direction", "cloud-to-device");
        await().atMost(Duration.ofSeconds(10)).until(() -> "auto".equals(state(deviceStore, thing, "", true).get("mode")));
        deviceStore.update(thing, "", ShadowUpdate.reported(Map.of("speed", 2)));
        try (AwsTestSupport.Console console = new AwsTestSupport.Console(broker.url(), thing)) {
            console.send("", "update", "{'state':{'desired':{'mode':'manual','target':5}},'clientToken':'console-1'}");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Map.of("mode", "manual", "target", 5L).equals(state(deviceStore, thing, "", true)));
        }
        assertEquals(Map.of("speed", 2L), state(deviceStore, thing, "", false));
        assertEquals(Map.of(), state(cloudStore, thing, "", false), "nothing goes up");
        // the trail names who changed the cloud's shadow, not only the sync's own request
        assertTrue(TestSupport.audited().stream().anyMatch(e -> e.identity().startsWith("uplink device, clientToken ")
                && e.identity().endsWith(", for the cloud's change by clientToken console-1")),
                "audited: " + TestSupport.audited());
    }
}
