package org.fogwerk.uplink.mqtt.internal;

import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.converter.Converters;

/** The DS component: service registration, data directory, bad files. */
class ComponentTest {

    @TempDir
    Path dir;

    private final List<Object[]> registered = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return "karaf.data".equals(args[0]) ? dir.toString() : null;
                        case "registerService":
                            registered.add(args);
                            return Proxy.newProxyInstance(getClass().getClassLoader(),
                                    new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** As DS does it: the constructor, then the services in their fields, then activate. */
    private static MqttUplinkComponent activated(MqttUplinkComponent c) {
        c.activate();
        return c;
    }

    @Test
    void nothingStartsBeforeTheServicesAreInTheirFields() throws Exception {
        Map<String, Object> props = map("broker.urls", "tcp://127.0.0.1:1883");
        MqttUplinkComponent c = new MqttUplinkComponent(context(), TestSupport.config(props), props, new ProfileDirectory());
        try {
            // a tag listener registered now would take the latest value of every tag while the
            // thing registry is not there yet, and send each under its connection's name
            assertEquals(List.of(), registered);
            assertFalse(Files.exists(dir.resolve("fogwerk/outbox/default")));
            c.activate();
            assertEquals(1, registered.size());
        } finally {
            c.deactivate();
        }
    }

    @Test
    void aSecondUplinkWithTheSameClientIdOnTheSameBrokerIsRefused() throws Exception {
        Map<String, Object> first = map("broker.urls", "tcp://127.0.0.1:1883", "client.id", "line2-edge",
                "felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-first.cfg");
        Map<String, Object> copy = map("broker.urls", "tcp://127.0.0.1:1883", "client.id", "line2-edge",
                "felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-copy.cfg");
        MqttUplinkComponent a = activated(new MqttUplinkComponent(context(), TestSupport.config(first), first,
                new ProfileDirectory()));
        MqttUplinkComponent b = activated(new MqttUplinkComponent(context(), TestSupport.config(copy), copy,
                new ProfileDirectory()));
        try {
            Uplink refused = (Uplink) registered.get(1)[1];
            assertEquals(UplinkState.FAILED, refused.status().state());
            String reason = refused.status().lastError();
            assertTrue(reason.contains("org.fogwerk.uplink.mqtt-copy.cfg: client id 'line2-edge' on tcp://127.0.0.1:1883 is"
                    + " already used by uplink first") && reason.contains("client.id"), reason);
        } finally {
            b.deactivate();
            a.deactivate();
        }
        // once the first is gone, the id is free again
        MqttUplinkComponent again = activated(new MqttUplinkComponent(context(), TestSupport.config(copy), copy,
                new ProfileDirectory()));
        try {
            assertEquals(List.of(Uplink.class.getName(), TagListener.class.getName()),
                    List.of((String[]) registered.get(2)[0]));
        } finally {
            again.deactivate();
        }
    }

    @Test
    void goodFileRegistersUplinkAndListenerWithItsName() throws Exception {
        Map<String, Object> props = map("broker.urls", "tcp://127.0.0.1:1883", "felix.fileinstall.filename",
                "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-local.cfg");
        MqttUplinkComponent c = activated(new MqttUplinkComponent(context(), TestSupport.config(props), props, new ProfileDirectory()));
        try {
            assertEquals(1, registered.size());
            String[] classes = (String[]) registered.get(0)[0];
            assertEquals(List.of(Uplink.class.getName(), TagListener.class.getName()), List.of(classes));
            Dictionary<?, ?> serviceProps = (Dictionary<?, ?>) registered.get(0)[2];
            assertEquals("local", serviceProps.get(Uplink.NAME_PROPERTY));
            assertEquals("local", ((Uplink) registered.get(0)[1]).name());
            assertTrue(Files.exists(dir.resolve("fogwerk/outbox/local/outbox.mv")));
        } finally {
            c.deactivate();
        }
    }

    @Test
    void badFileRegistersAFailedUplinkNamingFileKeyAndReason() {
        Map<String, Object> props = map("broker.urls", "tcp://127.0.0.1:1883", "topic.template", "fogwerk/{plant}/{tag}",
                "felix.fileinstall.filename",
                "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-cloud.cfg");
        MqttUplinkComponent c = activated(new MqttUplinkComponent(context(), TestSupport.config(props), props, new ProfileDirectory()));
        try {
            assertEquals(1, registered.size());
            assertEquals(Uplink.class, registered.get(0)[0]);
            Uplink failed = (Uplink) registered.get(0)[1];
            assertEquals(UplinkState.FAILED, failed.status().state());
            String reason = failed.status().lastError();
            assertTrue(reason.contains("org.fogwerk.uplink.mqtt-cloud.cfg") && reason.contains("topic.template")
                    && reason.contains("unknown placeholder {plant}"), reason);
            assertTrue(failed.submit(List.of()).toCompletableFuture().isCompletedExceptionally());
        } finally {
            c.deactivate();
        }
    }

    /** As DS would start it from the file's keys alone, with the defaults of the metatype. */
    private Uplink failedFrom(Map<String, Object> props) {
        MqttUplinkComponent c = activated(new MqttUplinkComponent(context(),
                Converters.standardConverter().convert(props).to(MqttUplinkConfig.class), props, new ProfileDirectory()));
        c.deactivate();
        assertEquals(1, registered.size());
        assertEquals(Uplink.class, registered.get(0)[0], "registered as a tag listener: it would send data");
        Uplink failed = (Uplink) registered.get(0)[1];
        assertEquals(UplinkState.FAILED, failed.status().state());
        return failed;
    }

    @Test
    void emptyFileDoesNotConnectToTheDefaultBroker() throws Exception {
        Path file = Files.writeString(dir.resolve("org.fogwerk.uplink.mqtt-empty.cfg"), "");
        String reason = failedFrom(map("felix.fileinstall.filename", file.toUri().toString())).status().lastError();
        assertTrue(reason.contains(file.toString()) && reason.contains("broker.urls") && reason.contains("missing"),
                reason);
        assertTrue(!Files.exists(dir.resolve("fogwerk/outbox/empty")), "no outbox for an uplink that never starts");
    }

    @Test
    void binaryGarbageIsRefusedNamingTheFileEvenWithABrokerKey() throws Exception {
        byte[] garbage = new byte[256];
        new java.util.Random(7).nextBytes(garbage);
        garbage[10] = 0;
        Path file = Files.write(dir.resolve("org.fogwerk.uplink.mqtt-junk.cfg"), garbage);
        // FileInstall makes keys out of whatever it finds; even a usable one must not start the uplink
        String reason = failedFrom(map("broker.urls", "tcp://127.0.0.1:1883", "felix.fileinstall.filename",
                file.toUri().toString())).status().lastError();
        assertTrue(reason.contains(file.toString()) && reason.contains("not a text file"), reason);
    }

    @Test
    void anUnknownKindOfShadowTopicsFailsNamingTheKey() throws Exception {
        String reason = failedFrom(map("broker.urls", "tcp://127.0.0.1:1883", "shadow.topics", "azure",
                "felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-local.cfg"))
                .status().lastError();
        assertTrue(reason.contains("shadow.topics: 'azure' is not a kind of shadow topics"), reason);
    }

    @Test
    void anUplinkWaitsForItsProfileAndStartsWhenItIsInstalled() throws Exception {
        Map<String, Object> props = map("broker.urls", "tcp://127.0.0.1:" + TestSupport.freePort(), "profile", "sparkplug",
                "felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-scada.cfg");
        ProfileDirectory profiles = new ProfileDirectory();
        MqttUplinkComponent c = activated(new MqttUplinkComponent(context(), TestSupport.config(props), props, profiles));
        try {
            Uplink waiting = (Uplink) registered.get(0)[1];
            assertEquals(UplinkState.WAITING, waiting.status().state());
            assertEquals("profile sparkplug not installed: feature:install fogwerk-uplink-sparkplug",
                    waiting.status().lastError());
            UplinkProfile sparkplug = context -> new ProfileSession() { };
            profiles.addProfile(sparkplug, Map.of(UplinkProfile.PROFILE_PROPERTY, "sparkplug"));
            assertEquals(2, registered.size());
            assertTrue(registered.get(1)[1] instanceof MqttUplink, "started once its profile is there");
            profiles.removeProfile(sparkplug, Map.of(UplinkProfile.PROFILE_PROPERTY, "sparkplug"));
            assertEquals(3, registered.size());
            assertEquals(UplinkState.WAITING, ((Uplink) registered.get(2)[1]).status().state());
        } finally {
            c.deactivate();
        }
    }

    @Test
    void anOutboxThatCannotWriteFailsTheUplinkCountsWhatItLosesAndIsOpenedAgain() throws Exception {
        // no broker: everything stays in the outbox
        Map<String, Object> props = map("broker.urls", "tcp://127.0.0.1:" + TestSupport.freePort(),
                "felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-full.cfg");
        MqttUplinkComponent c = activated(new MqttUplinkComponent(context(), TestSupport.config(props), props, new ProfileDirectory()));
        Path box = dir.resolve("fogwerk/outbox/full");
        try {
            Uplink first = (Uplink) registered.get(0)[1];
            first.submit(values(10)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            // the next block of sequence numbers cannot be written: as a full disk, the commit fails
            Path blocked = Files.createDirectories(box.resolve("outbox.seq.tmp"));
            CompletableFuture<Void> lost = first.submit(values(SequenceMark.BLOCK)).toCompletableFuture();
            ExecutionException e = assertThrows(ExecutionException.class, () -> lost.get(10, TimeUnit.SECONDS));
            assertNotNull(e.getCause());
            UplinkStatus failed = first.status();
            assertEquals(UplinkState.FAILED, failed.state(), failed.toString());
            assertTrue(failed.lastError().startsWith("the outbox cannot write " + box.resolve(Outbox.FILE)),
                    failed.lastError());
            // the commits before the failing one went to disk; every message of the failing one is counted
            assertTrue(failed.dropped() > 0, failed.toString());
            assertEquals(10 + SequenceMark.BLOCK, failed.outboxDepth() + failed.dropped(), failed.toString());
            long stored = failed.outboxDepth();
            // nothing more is taken in: refused and counted, not lost without a trace
            assertThrows(ExecutionException.class, () -> first.submit(values(3)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS));
            assertEquals(3, first.status().refused());
            int registeredBefore = registered.size();

            // the space is back: the component opens the outbox again, and what it held is still there
            // a full disk is not freed at once: no try before the outbox has failed for 30 s
            c.reopenIfFailed(java.util.concurrent.TimeUnit.SECONDS.toNanos(Outbox.REOPEN_SECONDS));
            assertEquals(registeredBefore, registered.size(), "not opened again yet");
            // tried again while the disk is still full: what the outbox holds stays shown
            c.reopenIfFailed(0);
            UplinkStatus unopened = ((Uplink) registered.get(registered.size() - 1)[1]).status();
            assertEquals(UplinkState.FAILED, unopened.state(), unopened.toString());
            assertEquals(stored, unopened.outboxDepth(), "not 0 while the messages wait on disk: " + unopened);
            Files.delete(blocked);
            c.reopenIfFailed(0);
            Uplink second = (Uplink) registered.get(registered.size() - 1)[1];
            assertNotSame(first, second);
            // the values refused meanwhile are still a gap, marked on their topic's next message
            assertEquals(List.of(3L), List.copyOf(((MqttUplink) second).counted().gaps().values()));
            second.submit(values(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Map.of(), ((MqttUplink) second).counted().gaps());
            UplinkStatus reopened = second.status();
            assertNotEquals(UplinkState.FAILED, reopened.state(), reopened.toString());
            assertEquals(stored + 1, reopened.outboxDepth(), "what was committed before is still there");
            assertEquals(failed.dropped(), reopened.dropped(), "what was lost stays counted");
            assertEquals(3, reopened.refused(), "what was refused stays counted");
        } finally {
            c.deactivate();
        }
        // the file is changed: the uplink made from it counts on
        MqttUplinkComponent changed = activated(new MqttUplinkComponent(context(), TestSupport.config(props), props,
                new ProfileDirectory()));
        try {
            UplinkStatus after = ((Uplink) registered.get(registered.size() - 1)[1]).status();
            assertEquals(3, after.refused(), after.toString());
            assertTrue(after.dropped() > 0, after.toString());
        } finally {
            changed.deactivate();
        }
    }

    private static List<TagValue> values(long n) {
        List<TagValue> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(TagValue.good("press01", "counter", i));
        }
        return values;
    }
}

