package org.fogwerk.update.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.uplink.UplinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/** Which features the node takes orders for, and how soon its shadow says how healthy it is. */
class NodeUpdaterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MODBUS = "fogwerk-connector-modbus";
    private static final String REFUSAL = "obr is not a Fogwerk feature: only fogwerk features (names starting with "
            + "\"fogwerk\") can be ordered";

    @TempDir
    Path dir;

    private TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private TestNode start(Duration healthPoll, int reportSeconds) throws Exception {
        node = new TestNode(dir, healthPoll, reportSeconds).start();
        await().atMost(WAIT).ignoreExceptions().until(() -> node.reported("features") instanceof Map);
        return node;
    }

    @Test
    void anOrderInTheShadowForAFeatureNotFogwerksIsRefusedAndNothingIsInstalled() throws Exception {
        start(Duration.ofSeconds(5), 3600).install(MODBUS, "1.0.0").offer(MODBUS, "1.1.0").offer("obr", "4.4.10");

        node.desire(TestNode.MQTT, "obr", "4.4.10");

        await().atMost(WAIT).ignoreExceptions().until(() -> "failed".equals(node.reported("updates.obr.state")));
        assertEquals("refused: " + REFUSAL, node.reported("updates.obr.reason"));
        assertEquals("4.4.10", node.reported("updates.obr.version"));
        assertEquals(TestNode.MQTT.toString(), node.reported("updates.obr.by"));
        assertNull(node.installed("obr"));
        assertEquals(List.of("aws-local uplink local, clientToken t1 feature obr 4.4.10 refused refused: " + REFUSAL),
                node.updateSteps());

        // a version that is nowhere fails, with the reason
        node.desire(TestNode.MQTT, MODBUS, "9.9.9");
        await().atMost(WAIT).ignoreExceptions().until(() -> "failed".equals(node.reported("updates." + MODBUS
                + ".state")));
        assertNotNull(node.reported("updates." + MODBUS + ".reason"));
        // the node reads the same desired state again with every change of the shadow: refused once
        node.desire(TestNode.MQTT, MODBUS, "1.1.0");
        await().atMost(WAIT).ignoreExceptions().until(() -> "done".equals(node.reported("updates." + MODBUS
                + ".state")));
        // the step that is done carries nothing of the one that failed before it
        assertNull(node.reported("updates." + MODBUS + ".reason"));
        assertEquals(List.of("install " + MODBUS + " 1.1.0"), node.deployments());
        assertEquals(1, node.updateSteps().stream().filter(s -> s.contains(" refused ")).count(), node.updateSteps()
                .toString());
    }

    @Test
    void anUpdateAfterWhichAConnectionThatRanIsGoneIsRolledBack() throws Exception {
        start(Duration.ofSeconds(5), 3600).install(MODBUS, "1.0.0").offer(MODBUS, "1.1.0");
        node.connection("press01", true);
        node.connection("press02", true);
        // the new build's connector never starts (no failed component anywhere): its connections are gone
        node.afterInstall((feature, version) -> {
            node.connection("press01", !"1.1.0".equals(version));
            node.connection("press02", !"1.1.0".equals(version));
        });

        node.desire(TestNode.MQTT, MODBUS, "1.1.0");

        await().atMost(WAIT).ignoreExceptions().until(() -> "failed".equals(node.reported("updates." + MODBUS
                + ".state")));
        assertEquals("not healthy within 1 s: connections press01, press02 ran before the update and do not run now",
                node.reported("updates." + MODBUS + ".reason"));
        assertEquals("1.0.0", node.reported("updates." + MODBUS + ".rolledBackTo"));
        assertEquals("1.0.0", node.installed(MODBUS));
        assertEquals(List.of("install " + MODBUS + " 1.1.0", "install " + MODBUS + " 1.0.0"), node.deployments());
    }

    @Test
    void aConnectionThatStartsAgainWithinTheTimeLimitFailsNoUpdate() throws Exception {
        start(Duration.ofSeconds(5), 3600).install(MODBUS, "1.0.0").offer(MODBUS, "1.1.0");
        node.connection("press01", true);
        // the connector's bundle is replaced: its connection stops, and starts again a moment later
        node.afterInstall((feature, version) -> {
            node.connection("press01", false);
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> node.connection("press01",
                    true));
        });

        node.desire(TestNode.MQTT, MODBUS, "1.1.0");

        await().atMost(WAIT).ignoreExceptions().until(() -> "done".equals(node.reported("updates." + MODBUS
                + ".state")));
        assertEquals("1.1.0", node.installed(MODBUS));
        assertEquals(List.of("install " + MODBUS + " 1.1.0"), node.deployments());
    }

    @Test
    void anUpdateAfterWhichAnUplinkWaitsForItsProfileIsRolledBackButABrokerAwayFailsNothing() throws Exception {
        start(Duration.ofSeconds(5), 3600).install("fogwerk-uplink-sparkplug", "1.0.0")
                .offer("fogwerk-uplink-sparkplug", "1.1.0").offer("fogwerk-uplink-sparkplug", "1.2.0");
        node.uplink("spb", UplinkState.CONNECTED);
        node.uplink("local", UplinkState.FAILED);
        // 1.1.0: the profile never starts, its uplink waits for it; 1.2.0: the broker is away
        node.afterInstall((feature, version) -> node.uplink("spb", switch (version) {
            case "1.1.0" -> UplinkState.WAITING;
            case "1.2.0" -> UplinkState.DISCONNECTED;
            default -> UplinkState.CONNECTED;
        }));

        node.desire(TestNode.MQTT, "fogwerk-uplink-sparkplug", "1.1.0");
        await().atMost(WAIT).ignoreExceptions().until(() -> "failed".equals(node.reported(
                "updates.fogwerk-uplink-sparkplug.state")));
        // an uplink that had failed before the update is not the update's doing
        assertEquals("not healthy within 1 s: uplink spb ran before the update and does not run now",
                node.reported("updates.fogwerk-uplink-sparkplug.reason"));
        assertEquals("1.0.0", node.installed("fogwerk-uplink-sparkplug"));

        node.desire(TestNode.MQTT, "fogwerk-uplink-sparkplug", "1.2.0");
        await().atMost(WAIT).ignoreExceptions().until(() -> "done".equals(node.reported(
                "updates.fogwerk-uplink-sparkplug.state")));
        assertEquals("1.2.0", node.installed("fogwerk-uplink-sparkplug"));
    }

    @Test
    void aRemovalInTheShadowOfAFeatureNotFogwerksIsRefusedToo() throws Exception {
        start(Duration.ofSeconds(5), 3600).install("obr", "4.4.6").offer("obr", "4.4.10");
        node.desire(TestNode.MQTT, "obr", "4.4.10");
        await().atMost(WAIT).ignoreExceptions().until(() -> "failed".equals(node.reported("updates.obr.state")));

        node.desire(TestNode.MQTT, "obr", null);

        await().atMost(WAIT).ignoreExceptions().until(() -> Boolean.TRUE.equals(node.reported("updates.obr.remove")));
        assertEquals("failed", node.reported("updates.obr.state"));
        assertEquals("refused: " + REFUSAL, node.reported("updates.obr.reason"));
        assertEquals("4.4.6", node.installed("obr"));
        assertEquals(List.of(), node.deployments());
        assertEquals(List.of("aws-local uplink local, clientToken t1 feature obr 4.4.10 refused refused: " + REFUSAL,
                "aws-local uplink local, clientToken t1 feature obr (remove) refused refused: " + REFUSAL),
                node.updateSteps());
    }

    @Test
    void anOrderFromTheShellOrRestForAFeatureNotFogwerksIsRefusedBeforeDesiredState() throws Exception {
        start(Duration.ofSeconds(5), 3600).offer("obr", "4.4.10").install("kar", "4.4.10");
        Caller admin = Caller.user(Source.SHELL, "admin", Set.of("admin"));

        ShadowException install = assertThrows(ShadowException.class,
                () -> node.updater().order(admin, "obr", "4.4.10"));
        ShadowException removal = assertThrows(ShadowException.class, () -> node.updater().order(admin, "kar", null));

        assertEquals(400, install.code());
        assertEquals(REFUSAL, install.getMessage());
        assertEquals(400, removal.code());
        assertTrue(removal.getMessage().startsWith("kar is not a Fogwerk feature: only fogwerk features"),
                removal.getMessage());
        // on record as updates, with what was ordered: audit-list --kind update shows them
        assertEquals(List.of("update " + TestNode.NODE + "/obr 4.4.10 400 " + REFUSAL,
                "update " + TestNode.NODE + "/kar (removal) 400 " + removal.getMessage()), node.refusals());
        ShadowDocument doc = node.shadow();
        assertTrue(doc.desired().isEmpty(), doc.desired().toString());
        assertEquals("4.4.10", node.installed("kar"));
        assertEquals(List.of(), node.deployments());
    }

    @Test
    void theShadowSaysTheNodeIsHealthyAsSoonAsItIsNotAtTheNextReport() throws Exception {
        node = new TestNode(dir, Duration.ofMillis(100), 3600);
        // the node starts: its web bundle is not Active yet when it first reports
        node.bundle("org.fogwerk.web", Bundle.RESOLVED);
        node.start();
        await().atMost(WAIT).ignoreExceptions().until(() -> String.valueOf(node.reported("health"))
                .equals("degraded: org.fogwerk.web 0.1.0 is Resolved, not Active"));

        node.bundle("org.fogwerk.web", Bundle.ACTIVE);

        await().atMost(Duration.ofSeconds(3)).ignoreExceptions().until(() -> "ok".equals(node.reported("health")));
        // nothing changes: nothing more is written until the report interval
        int reports = node.reports();
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> node.reports() == reports);

        node.bundle("org.fogwerk.camel", Bundle.RESOLVED);
        await().atMost(Duration.ofSeconds(3)).ignoreExceptions().until(() -> String.valueOf(node.reported("health"))
                .equals("degraded: org.fogwerk.camel 0.1.0 is Resolved, not Active"));
    }
}
