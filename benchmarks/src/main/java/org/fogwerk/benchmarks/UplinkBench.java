package org.fogwerk.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.connector.opcua.standalone.StandaloneOpcUa;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.simulator.internal.OpcUaSimulator;
import org.fogwerk.simulator.internal.OpcUaSimulatorConfig;
import org.fogwerk.uplink.mqtt.standalone.StandaloneUplink;
import org.osgi.util.converter.Converters;

/**
 * End to end: OPC UA simulator -> OPC UA connector -> tag bus -> (reported-state writer ->
 * shadow store) and MQTT uplink -> durable outbox -> Mosquitto -> subscriber, all in this JVM, at
 * about 10,000 values/s with 1,000 and 10,000 tags; then a broker outage while values keep
 * coming, and the drain after it; next to a bare Paho publisher loop to the same broker.
 * Everything runs against a mosquitto of its own on a free port.
 */
public final class UplinkBench {

    /** Tags and their update interval: about 10,000 values/s each. */
    private static final int[][] SIZES = {{1_000, 65}, {10_000, 750}};
    /** Tags per thing (one shadow each): a machine's worth, well under the shadow's 8 KB document limit. */
    private static final int TAGS_PER_THING = 100;
    private static final String NODE = "bench";
    private static final String LISTENER = "uplink-bench";
    private static final int LISTENER_QUEUE = 10_000; // as MqttUplinkComponent registers it
    private static final int WINDOW = 1000;
    private static final int MAX_SAMPLES = 1_000_000;

    private final PrintStream out;
    private final long measureMillis;
    private final long outageMillis;

    public UplinkBench(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
        this.outageMillis = Long.getLong("bench.outage", 60) * 1000;
    }

    private record Sustained(int tags, long intervalMs, double fromConnector, double acked, double received,
            double p50Source, double p99Source, double p50Received, double p99Received, long listenerDropped,
            double shadowWrites, long depth, long rss, long heap) {
    }

    private record Drain(int tags, long outageMs, long backlog, long rssBefore, long rssAtEnd, long heapBefore,
            long heapAtEnd, double reconnectSeconds, double drainSeconds, boolean drained, long depthLeft,
            double publishedPerSecond, double replayedPerSecond, double netPerSecond, double liveInPerSecond,
            long dropped, long listenerDropped, long receivedReplayed, long rssAfter) {
    }

    /** A bare publisher's acknowledged messages/s and, where a subscriber counted them, those that arrived. */
    record Bare(double perSecond, int payloadBytes, double arrivedPerSecond) {
    }

    public void run() throws Exception {
        out.printf("%nMQTT uplink end to end: OPC UA simulator -> connector -> tag bus -> shadow + uplink outbox ->"
                + " mosquitto (own, 127.0.0.1, free port) -> subscriber (QoS 1); payload json per value, QoS 1,"
                + " max.inflight %d; %d s measured per row; outage %d s%n", WINDOW, measureMillis / 1000,
                outageMillis / 1000);
        Path dir = Files.createTempDirectory("fogwerk-bench-uplink");
        List<Sustained> sustained = new ArrayList<>();
        Drain drain = null;
        Bare bare;
        try (Broker broker = new Broker(dir); Subscriber sub = new Subscriber(broker.url(), "fogwerk/" + NODE + "/#")) {
            for (int[] size : SIZES) {
                boolean last = size == SIZES[SIZES.length - 1];
                Object[] r = pipeline(broker, sub, dir, size[0], size[1], last);
                sustained.add((Sustained) r[0]);
                if (r[1] != null) {
                    drain = (Drain) r[1];
                }
            }
            int payload = (int) Math.max(1, sub.payloadBytes.get() / Math.max(1, sub.messages.get()));
            bare = bare(broker.url(), payload);
        } finally {
            Benchmark.deleteTemporary(dir);
        }
        print(sustained, drain, bare);
    }

    /** One pipeline with n tags: sustained figures, and the outage when asked; {Sustained, Drain or null}. */
    private Object[] pipeline(Broker broker, Subscriber sub, Path dir, int n, long intervalMs, boolean outage)
            throws Exception {
        int port = Stats.freePort();
        OpcUaSimulator sim = new OpcUaSimulator(Converters.standardConverter()
                .convert(Map.of("port", port, "tag.count", n, "writable.count", 0, "update.interval", intervalMs))
                .to(OpcUaSimulatorConfig.class));
        ShadowStoreImpl store = ShadowStores.open(Files.createDirectories(dir.resolve("shadow-" + n)));
        ReportingCore node = new ReportingCore(store);
        Uplink uplink = null;
        Connector connector = null;
        try {
            if (!Stats.await(() -> sim.status().running(), 30_000)) {
                throw new IllegalStateException("OPC UA simulator did not start: " + sim.status());
            }
            String connection = "sim" + n;
            List<String> names = new ArrayList<>();
            sim.tags().forEach(t -> names.add(t.name()));
            for (int i = 0; i < n; i += TAGS_PER_THING) {
                node.addThing(String.format("m%d-%03d", n, i / TAGS_PER_THING), connection,
                        names.subList(i, Math.min(n, i + TAGS_PER_THING)));
            }
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("broker.urls", broker.url());
            cfg.put("node.id", NODE);
            cfg.put("client.id", "bench-uplink-" + n);
            cfg.put("max.inflight", WINDOW);
            cfg.put("reconnect.min.ms", 500L);
            cfg.put("reconnect.max.ms", 2000L);
            cfg.put("outbox.max.bytes", 8L * 1024 * 1024 * 1024);
            uplink = StandaloneUplink.open("bench" + n, NODE, cfg, dir.resolve("outbox-" + n),
                    node::thingOf);
            node.addListener(StandaloneUplink.listener(uplink), LISTENER, LISTENER_QUEUE);
            Uplink up = uplink;
            if (!Stats.await(() -> up.status().state() == UplinkState.CONNECTED, 30_000)) {
                throw new IllegalStateException("uplink did not connect: " + up.status());
            }
            long m0 = sub.messages.get();
            connector = StandaloneOpcUa.start(connection, "opc.tcp://127.0.0.1:" + port + "/fogwerk", sim.tags(), dir,
                    intervalMs, 10, node.sink());
            node.add(connector);
            Connector c = connector;
            if (!Stats.await(() -> c.status().state() == ConnectorState.CONNECTED && sub.messages.get() - m0 >= n,
                    120_000, 50)) {
                throw new IllegalStateException("no values at the subscriber: " + c.status() + ", " + up.status());
            }
            Stats.sleep(3000); // warm up

            Counters bus0 = node.bus().connections().get(connection);
            Counters l0 = node.bus().listeners().get(LISTENER);
            long sent0 = uplink.status().sent();
            long w0 = node.shadowWrites();
            long r0 = sub.messages.get();
            sub.record(true);
            long t0 = System.nanoTime();
            Stats.sleep(measureMillis);
            double secs = (System.nanoTime() - t0) / 1e9;
            sub.record(false);
            long r1 = sub.messages.get();
            Counters bus1 = node.bus().connections().get(connection);
            Counters l1 = node.bus().listeners().get(LISTENER);
            long sent1 = uplink.status().sent();
            long w1 = node.shadowWrites();
            double[] lat = sub.percentiles(); // before the heap figure: the samples are freed
            long rss = rss();
            long heap = Stats.heapUsedAfterGc();
            Sustained s = new Sustained(n, intervalMs, (bus1.in() - bus0.in()) / secs, (sent1 - sent0) / secs,
                    (r1 - r0) / secs, lat[0], lat[1], lat[2], lat[3], l1.dropped() - l0.dropped(), (w1 - w0) / secs,
                    uplink.status().outboxDepth(), rss, heap);
            Drain d = outage ? outage(broker, sub, node, uplink, connection, n) : null;
            return new Object[] {s, d};
        } finally {
            if (connector != null) {
                node.remove(connector);
                StandaloneOpcUa.stop(connector);
            }
            if (uplink != null) {
                node.removeListener(StandaloneUplink.listener(uplink));
                StandaloneUplink.close(uplink);
            }
            node.close();
            sim.deactivate();
            store.close();
        }
    }

    private Drain outage(Broker broker, Subscriber sub, ReportingCore node, Uplink uplink, String connection, int n)
            throws Exception {
        long rssBefore = rss();
        long heapBefore = Stats.heapUsedAfterGc();
        Counters l0 = node.bus().listeners().get(LISTENER);
        out.printf("  uplink: stopping the broker for %d s (%,d tags live)...%n", outageMillis / 1000, n);
        broker.stop();
        Stats.sleep(outageMillis);
        long rssAtEnd = rss();
        long heapAtEnd = Stats.heapUsedAfterGc();
        UplinkStatus before = uplink.status();
        long backlog = before.outboxDepth();
        long sent0 = before.sent();
        long replayed0 = before.replayed();
        long subReplayed0 = sub.replayed.get();
        Counters bus0 = node.bus().connections().get(connection);
        long t0 = System.nanoTime();
        broker.start();
        sub.reconnect();
        Stats.await(() -> uplink.status().state() == UplinkState.CONNECTED, 30_000, 5);
        double reconnect = (System.nanoTime() - t0) / 1e9;
        // drained: what is left is no more than about 0.2 s of live values (the commit and in-flight window)
        long live = Math.max(2 * WINDOW, 2000);
        long timeout = Math.max(120_000, 2 * outageMillis);
        boolean drained = Stats.await(() -> uplink.status().outboxDepth() <= live, timeout, 20);
        double secs = (System.nanoTime() - t0) / 1e9;
        UplinkStatus after = uplink.status();
        Counters bus1 = node.bus().connections().get(connection);
        Counters l1 = node.bus().listeners().get(LISTENER);
        // let the subscriber take what the broker still queues for it before the next phase
        long[] last = {-1};
        Stats.await(() -> {
            long now = sub.messages.get();
            boolean quiet = now == last[0];
            last[0] = now;
            return quiet;
        }, 30_000, 500);
        return new Drain(n, outageMillis, backlog, rssBefore, rssAtEnd, heapBefore, heapAtEnd, reconnect, secs,
                drained, after.outboxDepth(), (after.sent() - sent0) / secs, (after.replayed() - replayed0) / secs,
                (backlog - after.outboxDepth()) / secs, (bus1.in() - bus0.in()) / secs, after.dropped(),
                l1.dropped() - l0.dropped(), sub.replayed.get() - subReplayed0, rss());
    }

    /** The ceiling: a bare Paho async client publishing as fast as a window of {@value #WINDOW} allows. */
    Bare bare(String url, int payloadBytes) throws Exception {
        return bare(url, payloadBytes, () -> 0);
    }

    /** The same, with {@code arrived} counting what a subscriber receives over the measured time. */
    Bare bare(String url, int payloadBytes, LongSupplier arrived) throws Exception {
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        MqttAsyncClient client = new MqttAsyncClient(url, "bench-bare-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(WINDOW);
        o.setAutomaticReconnect(false);
        client.connect(o).waitForCompletion(10_000);
        Semaphore window = new Semaphore(WINDOW);
        AtomicLong acked = new AtomicLong();
        IMqttActionListener done = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acked.incrementAndGet();
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
            }
        };
        try {
            long warm = System.nanoTime() + 2_000_000_000L;
            long a = 0;
            long arrived0 = 0;
            long t0 = 0;
            long end = Long.MAX_VALUE;
            int i = 0;
            while (true) {
                long now = System.nanoTime();
                if (t0 == 0 && now - warm > 0) {
                    a = acked.get();
                    arrived0 = arrived.getAsLong();
                    t0 = now;
                    end = now + measureMillis * 1_000_000L;
                } else if (t0 != 0 && now - end > 0) {
                    break;
                }
                window.acquire();
                try {
                    client.publish("fogwerk/" + NODE + "/bare/t" + (i++ % 10_000), payload, 1, false, null, done);
                } catch (MqttException e) {
                    window.release();
                    if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                        throw e;
                    }
                    Thread.onSpinWait(); // Paho frees its slot just after the callback
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long b = acked.get();
            long arrived1 = arrived.getAsLong();
            window.tryAcquire(WINDOW, 10, TimeUnit.SECONDS);
            return new Bare((b - a) / secs, payloadBytes, (arrived1 - arrived0) / secs);
        } finally {
            client.disconnect().waitForCompletion(10_000);
            client.close();
        }
    }

    private void print(List<Sustained> sustained, Drain d, Bare bare) {
        Table t = new Table("MQTT uplink end to end, sustained", "tags", "update interval", "values from connector/s",
                "acked by broker/s", "at subscriber/s", "latency p50 (sourceTime)", "p99 (sourceTime)",
                "latency p50 (receivedTime)", "p99 (receivedTime)", "dropped for uplink", "shadow updates/s",
                "outbox depth", "RSS", "heap after GC", "ratio to bare Paho");
        for (Sustained s : sustained) {
            t.row(String.format("%,d", s.tags), s.intervalMs + " ms", Table.f0(s.fromConnector), Table.f0(s.acked),
                    Table.f0(s.received), ms(s.p50Source), ms(s.p99Source), ms(s.p50Received), ms(s.p99Received),
                    s.listenerDropped, Table.f0(s.shadowWrites), String.format("%,d", s.depth), Stats.mb(s.rss),
                    Stats.mb(s.heap), ratio(s.acked, bare.perSecond));
        }
        t.print(out);
        out.println("  latency = subscriber receive time - the value's sourceTime (set by the simulator) or"
                + " receivedTime (set by the connector), one JVM, one clock, ms resolution; sourceTime includes up"
                + " to one OPC UA publishing interval. Shadow updates are coalesced per thing (report.interval"
                + " 1 s). ratio = acked/s / bare Paho publishes/s (the sustained rate is set by the simulator).");
        if (d != null) {
            Table o = new Table(String.format("MQTT uplink drain after a %d s broker outage, %,d tags live",
                    d.outageMs / 1000, d.tags), "backlog", "reconnect after", "drained after", "published/s",
                    "replayed/s", "backlog drained net/s", "live in/s", "ratio published to bare Paho",
                    "dropped (outbox)", "dropped for uplink", "RSS before / end of outage / after",
                    "heap after GC before / end of outage");
            o.row(String.format("%,d", d.backlog), String.format("%.1f s", d.reconnectSeconds),
                    d.drained ? String.format("%.1f s", d.drainSeconds)
                            : String.format("not in %.0f s (%,d left)", d.drainSeconds, d.depthLeft),
                    Table.f0(d.publishedPerSecond), Table.f0(d.replayedPerSecond), Table.f0(d.netPerSecond),
                    Table.f0(d.liveInPerSecond), ratio(d.publishedPerSecond, bare.perSecond), d.dropped,
                    d.listenerDropped, Stats.mb(d.rssBefore) + " / " + Stats.mb(d.rssAtEnd) + " / "
                            + Stats.mb(d.rssAfter),
                    Stats.mb(d.heapBefore) + " / " + Stats.mb(d.heapAtEnd));
            o.print(out);
            out.printf("  backlog = outbox depth when the broker came back; times from the broker restart (uplink"
                    + " reconnect.max.ms 2000); drained = depth <= %,d; published/s = all PUBACKed messages (replay +"
                    + " live) / drain time; the subscriber got %,d messages marked replayed.%n",
                    Math.max(2 * WINDOW, 2000), d.receivedReplayed);
        }
        Table b = new Table("Bare Paho MqttAsyncClient publisher loop, same broker", "QoS", "max inflight",
                "payload", "publishes acked/s");
        b.row(1, WINDOW, bare.payloadBytes + " B", Table.f0(bare.perSecond));
        b.print(out);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.0f ms", v);
    }

    private static String ratio(double v, double ceiling) {
        return ceiling <= 0 ? "-" : String.format("%.2f", v / ceiling);
    }

    /** Resident set size of this JVM from /proc/self/status (Linux); -1 where it cannot be read. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** A mosquitto of our own on a free port, stoppable and restartable on the same port. */
    static final class Broker implements AutoCloseable {
        private final int port;
        private final Path conf;
        private final Path log;
        private Process process;

        Broker(Path dir) throws IOException {
            port = Stats.freePort();
            conf = dir.resolve("mosquitto.conf");
            log = dir.resolve("mosquitto.log");
            Path data = Files.createDirectories(dir.resolve("mosquitto"));
            Files.write(conf, List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                    // started as root mosquitto switches to user 'mosquitto', which cannot write our temp dir
                    "user " + System.getProperty("user.name"),
                    "persistence true", "persistence_location " + data + "/", "autosave_interval 0",
                    "max_inflight_messages 0", "max_queued_messages 0"), StandardCharsets.UTF_8);
            start();
        }

        String url() {
            return "tcp://127.0.0.1:" + port;
        }

        void start() throws IOException {
            process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!Stats.await(this::listening, 10_000)) {
                throw new IllegalStateException("mosquitto did not start on " + port + ": " + Files.readString(log));
            }
        }

        private boolean listening() {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** Gracefully (SIGTERM), so mosquitto keeps the subscriber's session. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null && process.isAlive()) {
                stop();
            }
        }
    }

    /** Where {@code key} first stands in the payload at or after {@code from}, or -1. */
    static int indexOf(byte[] p, byte[] key, int from) {
        outer:
        for (int i = from; i <= p.length - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (p[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A Paho subscriber (QoS 1, persistent session so the broker queues for it across the outage)
     * that counts messages and, while recording, the latency of each from its payload's times.
     */
    private static final class Subscriber extends BenchSubscriber {
        private static final byte[] SOURCE = "\"sourceTime\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] RECEIVED = "\"receivedTime\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] REPLAYED = "\"replayed\":true".getBytes(StandardCharsets.US_ASCII);

        final AtomicLong messages = new AtomicLong();
        final AtomicLong replayed = new AtomicLong();
        final AtomicLong payloadBytes = new AtomicLong();
        private long[] fromSource = new long[0];
        private long[] fromReceived = new long[0];
        private int samples;
        private boolean recording;

        Subscriber(String url, String filter) throws MqttException {
            super(url, "bench-sub-", filter, false, WINDOW);
        }

        synchronized void record(boolean on) {
            if (on) {
                samples = 0;
                fromSource = new long[MAX_SAMPLES];
                fromReceived = new long[MAX_SAMPLES];
            }
            recording = on;
        }

        /** p50 and p99 (ms) from sourceTime, then from receivedTime, of the last recording; frees the samples. */
        synchronized double[] percentiles() {
            double[] p = {Stats.percentile(fromSource, samples, 50), Stats.percentile(fromSource, samples, 99),
                Stats.percentile(fromReceived, samples, 50), Stats.percentile(fromReceived, samples, 99)};
            fromSource = new long[0];
            fromReceived = new long[0];
            samples = 0;
            return p;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            long now = System.currentTimeMillis();
            byte[] p = message.getPayload();
            messages.incrementAndGet();
            payloadBytes.addAndGet(p.length);
            if (indexOf(p, REPLAYED, 0) >= 0) {
                replayed.incrementAndGet();
            }
            synchronized (this) {
                if (recording && samples < fromSource.length) {
                    long source = number(p, SOURCE);
                    long received = number(p, RECEIVED);
                    if (source > 0 && received > 0) {
                        fromSource[samples] = now - source;
                        fromReceived[samples] = now - received;
                        samples++;
                    }
                }
            }
        }

        private static long number(byte[] p, byte[] key) {
            int i = indexOf(p, key, 0);
            if (i < 0) {
                return -1;
            }
            long v = 0;
            for (i += key.length; i < p.length && p[i] >= '0' && p[i] <= '9'; i++) {
                v = v * 10 + (p[i] - '0');
            }
            return v;
        }
    }
}
