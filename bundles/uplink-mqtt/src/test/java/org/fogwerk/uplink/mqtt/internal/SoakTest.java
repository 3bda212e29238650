package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.audit.standalone.StandaloneAudit;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.Things;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's data path at 10 times the demo's rate for {@code fogwerk.soak.minutes} (30 by
 * default; long form only, -Pchaos): 40 tags of two connections at 700 values/s through the real
 * tag bus to the uplink's outbox and a broker, and to the reported state in the shadow store; 10
 * commands/s on the command topic through the write gateway into the shadow store and the audit
 * trail. Every minute the process's RSS ({@code /proc/self/status}) and the heap after a GC are
 * sampled: after the warm-up both stay within 10 %, and the outbox, audit and shadow files within
 * their limits; every value reaches the subscriber.
 */
@EnabledIfSystemProperty(named = "fogwerk.chaos.long", matches = "true")
class SoakTest {

    private static final Logger LOG = LoggerFactory.getLogger(SoakTest.class);
    /**
     * The demo node's rate: 20 OPC UA tags sampled every 500 ms (40 values/s) and 20 Modbus tags
     * polled every second, 2 of them every 200 ms (about 30 values/s).
     */
    private static final int DEMO_VALUES_PER_SECOND = 70;
    private static final int TAGS_PER_CONNECTION = 20;
    private static final int COMMANDS_PER_SECOND = 10;
    private static final long MIB = 1024L * 1024;
    private static final long OUTBOX_MAX_BYTES = 16 * MIB;
    private static final long AUDIT_ROTATE_BYTES = MIB;
    private static final int AUDIT_KEEP_FILES = 3;
    /** The shadow store has no size setting: with its chunks reused at once it stays well under this. */
    private static final long SHADOW_BOUND_BYTES = 16 * MIB;
    private static final String NODE = "soak";

    @TempDir
    Path dir;

    /** Every shadow store name is a thing of the node's; each connection's tags map to its own thing. */
    private static final ThingRegistry THINGS = Things.everyNameAThing(true);

    private record Sample(int minute, long rssKib, long heapAfterGc, long outboxBytes, long auditBytes,
            long shadowBytes, long valuesFed, long valuesArrived, long replies) {
    }

    @Test
    void tenTimesTheDemoRateStaysFlat() throws Exception {
        int minutes = Integer.getInteger("fogwerk.soak.minutes", 30);
        int warmUp = Math.max(1, minutes / 6);
        assertTrue(minutes > warmUp, "fogwerk.soak.minutes must leave time after the warm-up of " + warmUp);
        int valuesPerTick = 10 * DEMO_VALUES_PER_SECOND / 100; // every 10 ms
        AtomicLong fed = new AtomicLong();
        AtomicLong commands = new AtomicLong();
        ScheduledExecutorService feeder = Executors.newScheduledThreadPool(2);
        List<Sample> samples = new ArrayList<>();
        Path outboxDir = dir.resolve("outbox");
        Path auditDir = dir.resolve("audit");
        Path shadowDir = dir.resolve("shadow");
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir);
                Counter values = new Counter(broker.url(), "fogwerk/" + NODE + "/sim-opcua/#",
                        "fogwerk/" + NODE + "/sim-modbus/#");
                Counter replies = new Counter(broker.url(), "fogwerk/" + NODE + "/reply/#");
                StandaloneAudit audit = StandaloneAudit.open(auditDir, AUDIT_ROTATE_BYTES, AUDIT_KEEP_FILES, 100);
                CoreNode node = new CoreNode()) {
            ShadowStoreImpl store = ShadowStores.open(shadowDir);
            var gateway = node.gateway(THINGS, store, audit.trail(), TestSupport.OPEN_POLICY);
            Runnable stopReporting = node.reportTo(THINGS, store);
            try (MqttUplink uplink = new MqttUplink(settings("soak", map("broker.urls", broker.url(), "node.id", NODE,
                    "outbox.max.bytes", OUTBOX_MAX_BYTES)), outboxDir, () -> gateway, TestSupport.THING_IS_CONNECTION)) {
                node.listen(uplink, "uplink-soak");
                await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
                feeder.scheduleAtFixedRate(() -> {
                    List<TagValue> batch = new ArrayList<>(valuesPerTick);
                    for (int i = 0; i < valuesPerTick; i++) {
                        long n = fed.getAndIncrement();
                        String connection = n % 2 == 0 ? "sim-opcua" : "sim-modbus";
                        String tag = "sineDouble" + (n / 2 % TAGS_PER_CONNECTION);
                        batch.add(TagValue.good(connection, tag, Math.sin(n / 1000.0)));
                    }
                    node.sink().publishAll(batch);
                }, 0, 10, TimeUnit.MILLISECONDS);
                feeder.scheduleAtFixedRate(() -> {
                    long n = commands.incrementAndGet();
                    try {
                        replies.client.publish("fogwerk/" + NODE + "/command/press" + (n % 4), ("{\"state\":{\"desired\":"
                                + "{\"setpoint\":" + (n % 1000) + "}},\"clientToken\":\"c" + n + "\"}")
                                .getBytes(StandardCharsets.UTF_8), 1, false);
                    } catch (Exception e) {
                        LOG.warn("Soak: command {} not published: {}", n, e.toString());
                    }
                }, 500, 1000 / COMMANDS_PER_SECOND, TimeUnit.MILLISECONDS);

                for (int minute = 1; minute <= minutes; minute++) {
                    await().pollDelay(Duration.ofMinutes(1)).atMost(Duration.ofMinutes(2)).until(() -> true);
                    Sample s = new Sample(minute, rssKib(), heapAfterGc(), size(outboxDir), size(auditDir),
                            size(shadowDir), fed.get(), values.count.get(), replies.count.get());
                    samples.add(s);
                    LOG.info("Soak minute {}: RSS {} MiB, heap after GC {} MiB, outbox {} KiB, audit {} KiB, shadow {}"
                            + " KiB, {} values fed, {} arrived, {} command replies", minute, s.rssKib / 1024,
                            s.heapAfterGc / MIB, s.outboxBytes / 1024, s.auditBytes / 1024, s.shadowBytes / 1024,
                            s.valuesFed, s.valuesArrived, s.replies);
                }
                feeder.shutdown();
                assertTrue(feeder.awaitTermination(5, TimeUnit.SECONDS));
                uplink.flush().toCompletableFuture().get(60, TimeUnit.SECONDS);
                long total = fed.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> values.count.get() >= total);
                await().atMost(Duration.ofSeconds(10)).until(() -> replies.count.get() >= commands.get());
            } finally {
                feeder.shutdownNow();
                stopReporting.run();
                store.close();
            }
        }
        List<Sample> after = samples.subList(warmUp, samples.size());
        String rss = spread(after.stream().mapToLong(Sample::rssKib).map(k -> k * 1024).toArray());
        String heap = spread(after.stream().mapToLong(Sample::heapAfterGc).toArray());
        Sample last = samples.get(samples.size() - 1);
        LOG.info("Soak of {} minutes at {} values/s and {} commands/s: {} values, {} commands; after {} minutes of"
                + " warm-up RSS {}, heap after GC {}; largest outbox {} KiB (limit {} KiB), audit {} KiB (limit {} KiB),"
                + " shadow store {} KiB (bound {} KiB)", minutes, 10 * DEMO_VALUES_PER_SECOND, COMMANDS_PER_SECOND,
                last.valuesFed, commands.get(), warmUp, rss, heap, max(samples, Sample::outboxBytes) / 1024,
                OUTBOX_MAX_BYTES / 1024, max(samples, Sample::auditBytes) / 1024, auditLimit() / 1024,
                max(samples, Sample::shadowBytes) / 1024, SHADOW_BOUND_BYTES / 1024);
        assertFlat("RSS", after.stream().mapToLong(Sample::rssKib).map(k -> k * 1024).toArray());
        assertFlat("heap after GC", after.stream().mapToLong(Sample::heapAfterGc).toArray());
        assertTrue(max(samples, Sample::outboxBytes) <= OUTBOX_MAX_BYTES, "outbox files within outbox.max.bytes");
        assertTrue(max(samples, Sample::auditBytes) <= auditLimit(), "audit files within rotation x kept files");
        assertTrue(max(samples, Sample::shadowBytes) <= SHADOW_BOUND_BYTES, "shadow store files within their bound");
    }

    /** The newest file and the kept ones, each at most the rotation size and one entry more. */
    private static long auditLimit() {
        return (AUDIT_KEEP_FILES + 1) * (AUDIT_ROTATE_BYTES + 64 * 1024);
    }

    /**
     * Flat: no growth (the mean of the last samples within 10 % of the mean of the first ones after
     * the warm-up), and no sample more than 10 % from another, or 4 MiB for a heap of a few MiB,
     * where one buffer more or less at the moment of the GC is that much already.
     */
    private static void assertFlat(String what, long[] bytes) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long v : bytes) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int n = Math.max(1, Math.min(5, bytes.length / 3));
        double first = java.util.Arrays.stream(bytes, 0, n).average().orElse(0);
        double last = java.util.Arrays.stream(bytes, bytes.length - n, bytes.length).average().orElse(0);
        assertTrue(last <= first * 1.10, what + " grew after the warm-up: mean of the first " + n + " samples "
                + (long) first + ", of the last " + n + " " + (long) last);
        assertTrue(max <= Math.max(min * 1.10, min + 4 * MIB), what + " after the warm-up varies more than 10 %: "
                + min + ".." + max);
    }

    private static String spread(long[] bytes) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long v : bytes) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return String.format("%.1f..%.1f MiB (%.1f %%)", min / (double) MIB, max / (double) MIB,
                100.0 * (max - min) / min);
    }

    private static long max(List<Sample> samples, java.util.function.ToLongFunction<Sample> f) {
        return samples.stream().mapToLong(f).max().orElse(0);
    }

    private static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long size(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Counts what arrives on a filter without keeping it, so the test's own memory stays flat. */
    private static final class Counter implements AutoCloseable {
        final AtomicLong count = new AtomicLong();
        final MqttClient client;

        Counter(String url, String... filters) throws Exception {
            client = TestClients.connect(url, "soak-" + System.nanoTime(), true,
                    (topic, message) -> count.incrementAndGet(),
                    cause -> LOG.warn("Soak: counting client lost its connection: {}", cause.toString()));
            for (String filter : filters) {
                client.subscribe(filter, 1);
            }
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
