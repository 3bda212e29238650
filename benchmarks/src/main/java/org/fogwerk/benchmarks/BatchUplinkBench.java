package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.LargeMachine;
import org.fogwerk.uplink.mqtt.standalone.StandaloneUplink;

/**
 * The uplink at full speed: a connection of 10,000 tags hands values to the tag bus at a set
 * rate, the real uplink (outbox on disk, QoS 1) sends them to mosquitto, a subscriber counts the
 * values that arrive. With {@code payload = json-batch} and with one message per value, at rising
 * rates, the latter next to a bare Paho publisher of messages of the same size whose messages a
 * subscriber of the same kind counts (the ceiling, measured end to end as the uplink is).
 * Drops anywhere (bus, uplink) or a subscriber falling behind the rate mark the row.
 */
public final class BatchUplinkBench {

    private static final String NODE = "bench";
    private static final int TAGS = 10_000;
    private static final int ROUND = 500;
    private static final byte[] TAG_FIELD = "\"tag\":".getBytes(StandardCharsets.US_ASCII);

    private final PrintStream out;
    private final long measureMillis;

    public BatchUplinkBench(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
    }

    private record Row(String payload, long target, double offered, double arrived, long busDropped,
            long uplinkDropped, long depth, double perMessage) {
    }

    public void run() throws Exception {
        out.printf("%nMQTT uplink at full speed: a 10,000-tag connection -> tag bus -> uplink (outbox, QoS 1) ->"
                + " mosquitto (own, free port) -> subscriber counting values; %d s measured per row%n",
                measureMillis / 1000);
        Path dir = Files.createTempDirectory("fogwerk-bench-batch");
        List<Row> rows = new ArrayList<>();
        UplinkBench.Bare bare;
        try (UplinkBench.Broker broker = new UplinkBench.Broker(dir)) {
            for (long target : new long[] {50_000, 100_000, 150_000}) {
                rows.add(row(broker, dir, "json-batch", target));
            }
            Row single = null;
            for (long target : new long[] {20_000, 40_000, 65_000}) {
                single = row(broker, dir, "json", target);
                rows.add(single);
            }
            // the ceiling measured as the uplink's rows are: what arrives at a subscriber on the same broker
            try (Counting sub = new Counting(broker.url(), "fogwerk/" + NODE + "/bare/#")) {
                bare = new UplinkBench(out, measureMillis).bare(broker.url(), (int) single.perMessage(),
                        sub.messages::get);
            }
        } finally {
            Benchmark.deleteTemporary(dir);
        }
        Table t = new Table("Uplink at full speed", "payload", "offered values/s", "arrived values/s",
                "bytes per message", "bus drops", "uplink drops", "outbox depth at end", "verdict");
        for (Row r : rows) {
            boolean batch = r.payload().equals("json-batch");
            boolean kept = r.busDropped() == 0 && r.uplinkDropped() == 0 && r.arrived() >= 0.97 * r.offered();
            String verdict = (kept ? "keeps up" : "DROP / falls behind")
                    + (batch ? "" : String.format(", %.2f of bare Paho", r.arrived() / bare.arrivedPerSecond()));
            t.row(r.payload(), Table.f0(r.offered()), Table.f0(r.arrived()), Table.f0(r.perMessage()),
                    r.busDropped(), r.uplinkDropped(), r.depth(), verdict);
        }
        t.print(out);
        out.printf("Bare Paho publisher (QoS 1, same broker, %.0f-byte messages, a subscriber counting them as it"
                + " counts the uplink's): %s messages/s arrived (%s acknowledged)%n",
                (double) bare.payloadBytes(), Table.f0(bare.arrivedPerSecond()), Table.f0(bare.perSecond()));
    }

    /** One run at {@code target} values/s. */
    private Row row(UplinkBench.Broker broker, Path dir, String payload, long target) throws Exception {
        String run = payload.replace("-", "") + target;
        ShadowStoreImpl store = ShadowStores.open(Files.createDirectories(dir.resolve("shadow-" + run)));
        ReportingCore node = new ReportingCore(store);
        Feeder source = new Feeder(run);
        Uplink uplink = null;
        try (Counting sub = new Counting(broker.url(), "fogwerk/" + NODE + "/#")) {
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("broker.urls", broker.url());
            cfg.put("node.id", NODE);
            cfg.put("client.id", "bench-batch-" + run);
            cfg.put("payload", payload);
            cfg.put("max.inflight", 1000);
            cfg.put("outbox.max.bytes", 8L * 1024 * 1024 * 1024);
            uplink = StandaloneUplink.open("batch" + run, NODE, cfg, dir.resolve("outbox-" + run), node::thingOf);
            node.addListener(StandaloneUplink.listener(uplink), "uplink", 100_000);
            Uplink up = uplink;
            if (!Stats.await(() -> up.status().state() == UplinkState.CONNECTED, 30_000)) {
                throw new IllegalStateException("uplink did not connect: " + up.status());
            }
            node.add(source.machine);
            source.start(node.sink(), target);
            Stats.sleep(3000); // warm up
            Counters bus0 = node.bus().listeners().get("uplink");
            long offered0 = source.offered.get();
            long arrived0 = sub.values.get();
            long messages0 = sub.messages.get();
            long bytes0 = sub.bytes.get();
            long dropped0 = uplink.status().dropped();
            long t0 = System.nanoTime();
            Stats.sleep(measureMillis);
            double secs = (System.nanoTime() - t0) / 1e9;
            long offered = source.offered.get() - offered0;
            long arrived = sub.values.get() - arrived0;
            long messages = Math.max(1, sub.messages.get() - messages0);
            Counters bus1 = node.bus().listeners().get("uplink");
            return new Row(payload, target, offered / secs, arrived / secs, bus1.dropped() - bus0.dropped(),
                    uplink.status().dropped() - dropped0, uplink.status().outboxDepth(),
                    (double) (sub.bytes.get() - bytes0) / messages);
        } finally {
            source.stop();
            node.remove(source.machine);
            if (uplink != null) {
                node.removeListener(StandaloneUplink.listener(uplink));
                StandaloneUplink.close(uplink);
            }
            node.close();
            store.close();
        }
    }

    /** Hands rounds of values of a machine's tags to the bus at a set rate, on a thread of its own. */
    private static final class Feeder {
        private final LargeMachine machine = new LargeMachine("line", TAGS);
        private final String id;
        private final AtomicBoolean running = new AtomicBoolean();
        final AtomicLong offered = new AtomicLong();
        private Thread thread;

        Feeder(String id) {
            this.id = id;
        }

        void start(TagSink sink, long perSecond) {
            running.set(true);
            thread = new Thread(() -> feed(sink, perSecond), "bench-feeder-" + id);
            thread.setDaemon(true);
            thread.start();
        }

        private void feed(TagSink sink, long perSecond) {
            List<TagDefinition> tags = machine.tags();
            long start = System.nanoTime();
            long sent = 0;
            int next = 0;
            List<TagValue> round = new ArrayList<>(ROUND);
            while (running.get()) {
                long wait = start + sent * 1_000_000_000L / perSecond - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                round.clear();
                long now = System.currentTimeMillis();
                for (int i = 0; i < ROUND; i++) {
                    round.add(TagValue.good(machine.id(), tags.get(next).name(), (double) sent + i, now, now));
                    next = (next + 1) % TAGS;
                }
                int taken = sink.publishAll(round);
                sent += ROUND;
                offered.addAndGet(taken);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(5000);
            }
        }
    }

    /** Counts messages, their bytes and the values in them (one per {@code "tag":} field). */
    private static final class Counting extends BenchSubscriber {
        final AtomicLong messages = new AtomicLong();
        final AtomicLong values = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        Counting(String url, String filter) throws Exception {
            super(url, "bench-count-", filter, true, 1000);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] p = message.getPayload();
            messages.incrementAndGet();
            bytes.addAndGet(p.length);
            values.addAndGet(count(p));
        }

        private static int count(byte[] p) {
            int n = 0;
            for (int i = UplinkBench.indexOf(p, TAG_FIELD, 0); i >= 0;
                    i = UplinkBench.indexOf(p, TAG_FIELD, i + TAG_FIELD.length)) {
                n++;
            }
            return n;
        }
    }
}
