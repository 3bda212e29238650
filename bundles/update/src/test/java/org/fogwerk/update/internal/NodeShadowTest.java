package org.fogwerk.update.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.shadow.ShadowDocument;
import org.junit.jupiter.api.Test;

/** How the node reads orders from its shadow and spells versions. */
class NodeShadowTest {

    private static final Caller BY = Caller.of(Source.AWS_LOCAL, "uplink local, clientToken t1");

    private static ShadowDocument doc(Map<String, Object> desired, Map<String, Object> reported, long orderedAt) {
        Map<String, Object> stamps = new LinkedHashMap<>();
        if (desired.get("features") instanceof Map<?, ?> f) {
            f.keySet().forEach(k -> stamps.put(String.valueOf(k), Map.of("timestamp", orderedAt)));
        }
        return new ShadowDocument("hall3", "fogwerk-node", desired, reported, Map.of(),
                Map.of("desired", Map.of("features", stamps)), 3, orderedAt);
    }

    @Test
    void desiredFeaturesKeepTheirOrderAndSkipAnythingButVersions() {
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("fogwerk-connector-opcua", "1.2.0");
        features.put("fogwerk-connector-modbus", "1.3.0");
        features.put("fogwerk-camel", 7);
        ShadowDocument d = doc(Map.of("features", features), Map.of(), 100);
        assertEquals(List.of("fogwerk-connector-opcua", "fogwerk-connector-modbus"),
                List.copyOf(NodeShadow.desiredFeatures(d).keySet()));
        assertTrue(NodeShadow.desiredFeatures(null).isEmpty());
    }

    @Test
    void aFeatureGoneFromDesiredStateIsAnOrderToRemoveIt() {
        ShadowDocument before = doc(Map.of("features", Map.of("fogwerk-camel", "1.0.0", "fogwerk-broker", "1.0.0")),
                Map.of(), 100);
        ShadowDocument after = doc(Map.of("features", Map.of("fogwerk-broker", "1.0.0")), Map.of(), 101);
        assertEquals(List.of("fogwerk-camel"), NodeShadow.removed(before, after));
        assertEquals(List.of(), NodeShadow.removed(after, after));
    }

    @Test
    void aFailedVersionIsNotTriedAgainUntilItIsOrderedAgain() {
        Order order = new Order("fogwerk-connector-modbus", "1.3.0", BY);
        UpdateStep failed = new UpdateStep(order, "1.2.0", UpdateStep.FAILED, "bundle not Active", "1.2.0",
                Instant.ofEpochSecond(100), Instant.ofEpochSecond(130));
        Map<String, Object> reported = Map.of("updates", Map.of("fogwerk-connector-modbus", failed.reported()));
        Map<String, Object> desired = Map.of("features", Map.of("fogwerk-connector-modbus", "1.3.0"));
        assertTrue(NodeShadow.failedSince(doc(desired, reported, 99), "fogwerk-connector-modbus", "1.3.0"));
        assertFalse(NodeShadow.failedSince(doc(desired, reported, 131), "fogwerk-connector-modbus", "1.3.0"),
                "set again after the failure: tried again");
        assertFalse(NodeShadow.failedSince(doc(desired, reported, 99), "fogwerk-connector-modbus", "1.4.0"));
    }

    @Test
    void aStepSaysWhatWhoAndHowItEnded() {
        UpdateStep step = new UpdateStep(new Order("fogwerk-connector-modbus", "1.3.0", BY), "1.2.0",
                UpdateStep.FAILED, "not healthy within 60 s: org.fogwerk.connector.modbus 1.3.0 is Resolved, not Active",
                "1.2.0", Instant.ofEpochSecond(100), Instant.ofEpochSecond(104));
        assertEquals("fogwerk-connector-modbus 1.2.0 -> 1.3.0: failed (4 s, ordered by aws-local uplink local, "
                + "clientToken t1): not healthy within 60 s: org.fogwerk.connector.modbus 1.3.0 is Resolved, not "
                + "Active; rolled back to 1.2.0", step.describe());
        Map<String, Object> r = step.reported();
        assertEquals("failed", r.get("state"));
        assertEquals("1.3.0", r.get("version"));
        assertEquals("1.2.0", r.get("rolledBackTo"));
        assertEquals(104L, r.get("at"));
        assertEquals(true, new UpdateStep(new Order("fogwerk-camel", null, BY), "1.0.0", UpdateStep.DONE, "", "",
                Instant.EPOCH, Instant.EPOCH).reported().get("remove"));
    }

    @Test
    void mavenAndOsgiSpellingsOfOneVersionAreTheSame() {
        assertTrue(FeatureInstaller.same("0.1.0-SNAPSHOT", "0.1.0.SNAPSHOT"));
        assertTrue(FeatureInstaller.same("1.2", "1.2.0"));
        assertFalse(FeatureInstaller.same("1.2.0", "1.2.1"));
        assertTrue(FeatureInstaller.same("not a version", "not a version"));
        assertFalse(FeatureInstaller.same("1.2.0", null));
    }

    @Test
    void karafsFailuresOfSeveralLinesAreReportedOnOne() {
        assertEquals("Error restarting bundles: Not found: org.example.Activator",
                FeatureInstaller.message(new Exception("Error restarting bundles:\n\tNot found: org.example.Activator")));
        assertEquals("IllegalStateException", FeatureInstaller.message(new IllegalStateException()));
    }

    @Test
    void aFailedComponentSaysWhyNotHowItWasCalled() {
        assertEquals("java.lang.IllegalStateException: a broken build", HealthCheck.rootCause(
                "java.lang.reflect.InvocationTargetException\n\tat jdk.internal.Foo.bar(Foo.java:1)\n"
                + "Caused by: java.lang.IllegalStateException: a broken build\n\tat x.Y.z(Y.java:3)\n"));
        assertEquals("java.lang.IllegalStateException: no", HealthCheck.rootCause("java.lang.IllegalStateException: no"));
    }
}
