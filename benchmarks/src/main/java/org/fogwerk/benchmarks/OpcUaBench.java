package org.fogwerk.benchmarks;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.connector.opcua.standalone.StandaloneOpcUa;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.simulator.internal.OpcUaSimulator;
import org.fogwerk.simulator.internal.OpcUaSimulatorConfig;
import org.osgi.util.converter.Converters;

/**
 * Values per second from the OPC UA simulator through one Fogwerk connection onto the tag bus,
 * with 1,600 tags (about 10,000 values/s) and 10,000 tags, next to a plain Milo client
 * subscribing the same nodes on the same server in the same run (the ceiling); source-to-bus
 * latency (p50/p99), drops, time to subscribe every tag and heap per tag. Both clients ask for
 * the same sampling, publishing interval and queue size; the Fogwerk connection otherwise runs
 * with its defaults. The 1,600 tags are also sampled at half the publishing interval, which
 * takes the server's sampling delay out of the latency.
 */
public final class OpcUaBench extends Benchmark {

    private record Row(int tags, long samplingMs) {
    }

    private static final List<Row> ROWS = List.of(new Row(1_600, 100), new Row(1_600, 50), new Row(10_000, 100));
    private static final double INTERVAL_MS = 100;
    private static final int QUEUE_SIZE = 1;
    /** Monitored items per CreateMonitoredItems request of the plain client. */
    private static final int BATCH = 1000;

    public OpcUaBench(PrintStream out, long measureMillis) {
        super(out, measureMillis);
    }

    private record Result(String client, int tags, long samplingMs, double subscribeSeconds, long heapPerTag, double perSecond,
            double droppedPerSecond, Latency latency) {
    }

    /** Source-to-arrival latency of every value in the measured window, in 1 ms buckets up to a minute. */
    private static final class Latency {
        private final AtomicLongArray buckets = new AtomicLongArray(60_001);
        private volatile boolean on;

        void record(long sourceMillis, long nowMillis) {
            if (on) {
                buckets.incrementAndGet((int) Math.max(0, Math.min(60_000, nowMillis - sourceMillis)));
            }
        }

        long percentile(double p) {
            long n = 0;
            for (int i = 0; i < buckets.length(); i++) {
                n += buckets.get(i);
            }
            long rank = (long) Math.ceil(p / 100.0 * n);
            long seen = 0;
            for (int i = 0; i < buckets.length(); i++) {
                seen += buckets.get(i);
                if (n > 0 && seen >= rank) {
                    return i;
                }
            }
            return -1;
        }
    }

    public void run() throws Exception {
        out.printf("%nOPC UA: simulator on 127.0.0.1, update.interval %.0f ms; subscription publishing interval %.0f"
                + " ms, queue %d; %d s measured per row%n", INTERVAL_MS, INTERVAL_MS, QUEUE_SIZE, measureMillis / 1000);
        List<Result> results = new ArrayList<>();
        Path dir = Files.createTempDirectory("fogwerk-bench-opcua");
        try {
            for (int n : ROWS.stream().map(Row::tags).distinct().toList()) {
                int port = Stats.freePort();
                OpcUaSimulator sim = new OpcUaSimulator(Converters.standardConverter()
                        .convert(Map.of("port", port, "tag.count", n, "writable.count", 0, "update.interval",
                                (long) INTERVAL_MS))
                        .to(OpcUaSimulatorConfig.class));
                try {
                    if (!Stats.await(() -> sim.status().running(), 30_000)) {
                        throw new IllegalStateException("OPC UA simulator did not start: " + sim.status());
                    }
                    String url = "opc.tcp://127.0.0.1:" + port + "/fogwerk";
                    if (n == ROWS.get(0).tags()) {
                        // load and JIT-compile both clients once, so the first measured row pays no start-up
                        fogwerk(url, sim.tags().subList(0, 100), 100, dir, false);
                        bare(url, sim.tags().subList(0, 100), 100, false);
                    }
                    for (Row row : ROWS) {
                        if (row.tags() == n) {
                            results.add(fogwerk(url, sim.tags(), row.samplingMs(), dir, true));
                            results.add(bare(url, sim.tags(), row.samplingMs(), true));
                        }
                    }
                } finally {
                    sim.deactivate();
                }
            }
        } finally {
            deleteTemporary(dir);
        }
        print(results);
    }

    private Result fogwerk(String url, List<SimulatedTag> tags, long samplingMs, Path dir, boolean measure)
            throws IOException {
        int n = tags.size();
        try (StandaloneCore core = new StandaloneCore()) {
            Latency latency = new Latency();
            TagListener listener = values -> {
                long now = System.currentTimeMillis();
                for (TagValue v : values) {
                    if (v.quality() == Quality.GOOD) {
                        latency.record(v.sourceTime(), now);
                    }
                }
            };
            core.addListener(listener, "latency", 1_000_000);
            long heap0 = Stats.heapUsedAfterGc();
            long t0 = System.nanoTime();
            Connector c = StandaloneOpcUa.start("bench-" + n + "-" + samplingMs + "-" + measure, url, tags, dir,
                    (long) INTERVAL_MS, samplingMs, QUEUE_SIZE, core.sink());
            try {
                // the bus's latest() sorts every tag: checked every 50 ms only, to load the node little
                boolean all = Stats.await(() -> c.status().state() == ConnectorState.CONNECTED
                        && goodOnBus(core, c.id()) == n, 120_000, 50);
                double subscribe = (System.nanoTime() - t0) / 1e9;
                if (!all) {
                    throw new IllegalStateException("not every tag arrived: " + goodOnBus(core, c.id()) + " of " + n
                            + ", " + c.status());
                }
                if (!measure) {
                    return null;
                }
                long heap = Stats.heapUsedAfterGc() - heap0;
                Stats.sleep(2000); // warm up
                Counters a = core.bus().connections().get(c.id());
                long s0 = System.nanoTime();
                latency.on = true;
                Stats.sleep(measureMillis);
                latency.on = false;
                Counters b = core.bus().connections().get(c.id());
                double secs = (System.nanoTime() - s0) / 1e9;
                return new Result("Fogwerk connection -> tag bus", n, samplingMs, subscribe, heap / n,
                        (b.in() + b.dropped() - a.in() - a.dropped()) / secs, (b.dropped() - a.dropped()) / secs,
                        latency);
            } finally {
                StandaloneOpcUa.stop(c);
                core.removeListener(listener);
            }
        }
    }

    private static int goodOnBus(StandaloneCore core, String id) {
        int good = 0;
        for (TagValue v : core.bus().latest(id)) {
            if (v.quality() == Quality.GOOD) {
                good++;
            }
        }
        return good;
    }

    private Result bare(String url, List<SimulatedTag> tags, long samplingMs, boolean measure) throws Exception {
        int n = tags.size();
        long heap0 = Stats.heapUsedAfterGc();
        long t0 = System.nanoTime();
        OpcUaClient client = OpcUaClient.create(url);
        try {
            client.connect().get(30, TimeUnit.SECONDS);
            UaSubscription sub = client.getSubscriptionManager().createSubscription(INTERVAL_MS)
                    .get(30, TimeUnit.SECONDS);
            LongAdder values = new LongAdder();
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            AtomicInteger seenCount = new AtomicInteger();
            Latency latency = new Latency();
            sub.addNotificationListener(new UaSubscription.NotificationListener() {
                @Override
                public void onDataChangeNotification(UaSubscription s, List<UaMonitoredItem> items,
                        List<DataValue> dataValues, DateTime publishTime) {
                    long now = System.currentTimeMillis();
                    values.add(dataValues.size());
                    for (DataValue dv : dataValues) {
                        if (dv.getSourceTime() != null) {
                            latency.record(dv.getSourceTime().getJavaTime(), now);
                        }
                    }
                    for (UaMonitoredItem item : items) {
                        int h = item.getClientHandle().intValue();
                        if (h < n && seen.get(h) == 0 && seen.compareAndSet(h, 0, 1)) {
                            seenCount.incrementAndGet();
                        }
                    }
                }
            });
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(n, from + BATCH);
                List<MonitoredItemCreateRequest> requests = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    NodeId node = ExpandedNodeId.parse(tags.get(i).address()).toNodeId(client.getNamespaceTable())
                            .orElseThrow();
                    requests.add(new MonitoredItemCreateRequest(
                            new ReadValueId(node, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                            MonitoringMode.Reporting,
                            new MonitoringParameters(uint(i), (double) samplingMs, null, uint(QUEUE_SIZE), true)));
                }
                sub.createMonitoredItems(TimestampsToReturn.Both, requests).get(30, TimeUnit.SECONDS);
            }
            if (!Stats.await(() -> seenCount.get() == n, 120_000)) {
                throw new IllegalStateException("plain Milo: only " + seenCount.get() + " of " + n
                        + " items reported");
            }
            double subscribe = (System.nanoTime() - t0) / 1e9;
            if (!measure) {
                return null;
            }
            long heap = Stats.heapUsedAfterGc() - heap0;
            Stats.sleep(2000);
            long a = values.sum();
            long s0 = System.nanoTime();
            latency.on = true;
            Stats.sleep(measureMillis);
            latency.on = false;
            long b = values.sum();
            double secs = (System.nanoTime() - s0) / 1e9;
            return new Result("plain Milo client subscription", n, samplingMs, subscribe, heap / n, (b - a) / secs, 0,
                    latency);
        } finally {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private void print(List<Result> results) {
        Table t = new Table("OPC UA subscription throughput", "client", "tags", "sampling", "values/s",
                "of which dropped by the bus/s", "ratio to plain Milo", "latency p50", "latency p99",
                "time to subscribe all", "heap per tag");
        Map<Row, Double> ceiling = new HashMap<>();
        for (Result r : results) {
            if (r.client.startsWith("plain")) {
                ceiling.put(new Row(r.tags, r.samplingMs), r.perSecond);
            }
        }
        for (Result r : results) {
            Double c = ceiling.get(new Row(r.tags, r.samplingMs));
            t.row(r.client, String.format("%,d", r.tags), r.samplingMs + " ms", Table.f0(r.perSecond), Table.f0(r.droppedPerSecond),
                    c == null || c == 0 ? "-" : String.format("%.2f", r.perSecond / c),
                    String.format("%,d ms", r.latency.percentile(50)), String.format("%,d ms", r.latency.percentile(99)),
                    String.format("%.2f s", r.subscribeSeconds), String.format("%,d B", r.heapPerTag));
        }
        t.print(out);
        out.println("  values/s: values the connection handed to the bus (accepted + dropped, bus counters) vs"
                + " values the plain client received; latency: arrival at a bus listener (Fogwerk) or in the"
                + " notification listener (plain Milo) minus the value's source timestamp; time to subscribe ="
                + " connect until every tag has its first value (on the bus / in the client); heap per tag = heap"
                + " used after GC with the connection subscribed minus before, / tags (includes the bus's latest"
                + " value per tag for Fogwerk).");
    }
}
