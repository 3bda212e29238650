package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.audit.AuditVerification;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.audit.standalone.StandaloneAudit;
import org.fogwerk.connector.modbus.standalone.StandaloneModbus;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.simulator.internal.ModbusSimulatorConfig;
import org.fogwerk.testing.DiscardingAuditTrail;
import org.fogwerk.testing.ShadowStores;
import org.osgi.util.converter.Converters;

/**
 * What role, write policy and audit add to a machine write. The same set point is written to the
 * in-node Modbus simulator over TCP, by 1 and by 8 threads ({@code -Dbench.writes.threads=1,8}), straight through the connector registry
 * (the baseline, no authority), through the write gateway without a trail (its checks alone) and
 * through the write gateway with the real audit trail on disk, as shipped and forcing every entry.
 *
 * <p>The paths take turns write by write: each thread writes through the registry, then the
 * gateway without a trail, then the gateway with it, and again. So every path sees the same
 * machine at the same moment: on a virtual machine a write's time depends more on whether its
 * CPUs were idle (waking one costs more than a loopback write) than on the work the gateway adds,
 * and paths run one after the other, or in JVMs of their own, measured that instead. The ratio is
 * the registry's mean time per write over the path's (the rate a writer would get); below 0.95 is
 * reported as a drop. Forcing every entry keeps the disk busy and runs after, in turn with the
 * registry.
 */
public final class WriteBench {

    private static final long WARM_UP_MILLIS = 3000;
    private static final int MAX_SAMPLES = 2_000_000;
    private static final Caller OPERATOR = Caller.user(Source.SHELL, "bench", Set.of(Roles.OPERATOR));
    private static final String TAG = "setpointInt3217";

    private final PrintStream out;
    private final long measureMillis;

    public WriteBench(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
    }

    /** One way to write the set point. */
    @FunctionalInterface
    private interface Way {
        CompletionStage<WriteResult> write(int value);
    }

    /** One path's latencies, in nanoseconds, over a run in which it took turns with the others. */
    private record Timed(String name, long[] latencies, int count) {
        double meanNanos() {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += latencies[i];
            }
            return count == 0 ? Double.NaN : sum / count;
        }

        double percentileMillis(double p) {
            return Stats.percentile(latencies, count, p) / 1e6;
        }
    }

    public void run() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("bench.dir", "target")).resolve("bench-writes")), "run");
        out.printf("%nMachine writes: set point to the in-node Modbus simulator over TCP; registry alone vs write"
                + " gateway without a trail (role, policy and tag checks) and with it (request on record in the"
                + " trail's journal before the write, its outcome before the result), the trail as shipped (chained"
                + " and forced to disk every 100 ms; every entry is checked to be in it after); the paths"
                + " take turns write by write, %d ms after %d ms warm-up; vs registry: its mean time per write over"
                + " the path's; forcing every entry (sync.interval.ms = 0) after, in turn with the registry%n",
                measureMillis, WARM_UP_MILLIS);
        int port = Stats.freePort();
        ModbusSimulator sim = new ModbusSimulator(Converters.standardConverter()
                .convert(Map.of("port", port, "update.interval", 1000)).to(ModbusSimulatorConfig.class));
        ShadowStoreImpl store = ShadowStores.open(dir.resolve("shadows"));
        Table t = new Table("Write path", "threads", "path", "mean µs", "p50 ms", "p99 ms", "vs registry");
        try (StandaloneAudit shipped = StandaloneAudit.open(dir.resolve("audit"), 16L * 1024 * 1024, 0, 100);
                StandaloneAudit forced = StandaloneAudit.open(dir.resolve("audit-forced"), 16L * 1024 * 1024, 0, 0);
                StandaloneCore node = new StandaloneCore()) {
            Map<String, Object> cfg = new HashMap<>();
            cfg.put("host", "127.0.0.1");
            cfg.put("port", port);
            cfg.put("poll.interval", 1000L);
            cfg.put("tags", TAG + ",,holding,0,int32,,,,,rw");
            Connector plc = StandaloneModbus.open("plc", cfg, node.sink());
            try {
                if (!Stats.await(() -> plc.status().state() == ConnectorState.CONNECTED, 10_000)) {
                    throw new IllegalStateException("the Modbus connection did not connect: " + plc.status());
                }
                node.add(plc);
                Way registry = v -> node.connectors().write("plc", TAG, v);
                Way checks = gateway(node.gateway(store, new DiscardingAuditTrail()));
                AtomicLong trailWrites = new AtomicLong();
                Way trailGateway = gateway(node.gateway(store, shipped.trail()));
                Way trail = v -> {
                    trailWrites.incrementAndGet();
                    return trailGateway.write(v);
                };
                Way forcing = gateway(node.gateway(store, forced.trail()));
                for (int threads : Arrays.stream(System.getProperty("bench.writes.threads", "1,8").split(","))
                        .mapToInt(Integer::parseInt).toArray()) {
                    List<Timed> turns = inTurn(threads, List.of("registry", "gateway without trail",
                            "gateway + trail as shipped"), List.of(registry, checks, trail));
                    rows(t, threads, turns);
                    rows(t, threads, inTurn(threads, List.of("registry (with forced)", "gateway + trail forced each"),
                            List.of(registry, forcing)));
                }
                checkTrail(shipped.trail(), trailWrites.get());
            } finally {
                StandaloneModbus.close(plc);
            }
        } finally {
            store.close();
            sim.deactivate();
        }
        t.print(out);
    }

    /** Every write through the trail is in it twice (request and outcome), and the chain is intact. */
    private void checkTrail(AuditTrail trail, long writes) {
        long entries = trail.query(AuditQuery.newest(0)).stream()
                .filter(e -> AuditEvent.KIND_WRITE.equals(e.event().kind())).count();
        AuditVerification v = trail.verify();
        out.printf("Trail as shipped: %d entries for %d writes, chain %s%n", entries, writes,
                v.intact() ? "intact" : "BROKEN: " + v.problems());
        if (entries != 2 * writes || !v.intact()) {
            throw new IllegalStateException("the trail lost entries or its chain: " + entries + " entries for "
                    + writes + " writes");
        }
    }

    private static Way gateway(WriteGateway gateway) {
        return v -> gateway.write(OPERATOR, "plc", TAG, v);
    }

    private static void rows(Table t, int threads, List<Timed> turns) {
        double base = turns.get(0).meanNanos();
        for (Timed p : turns) {
            double ratio = base / p.meanNanos();
            boolean gatewayPath = p != turns.get(0);
            t.row(threads, p.name(), Table.f1(p.meanNanos() / 1e3), Table.f2(p.percentileMillis(50)),
                    Table.f2(p.percentileMillis(99)), Table.f2(ratio)
                            + (gatewayPath && ratio < 0.95 && !p.name().contains("forced") ? " DROP" : ""));
        }
    }

    /** Warms up, then lets each thread write through the paths in turn; the latencies per path. */
    private List<Timed> inTurn(int threads, List<String> names, List<Way> paths) throws Exception {
        long[][] latencies = new long[paths.size()][MAX_SAMPLES];
        int[] counts = new int[paths.size()];
        run(threads, WARM_UP_MILLIS, paths, latencies, counts);
        Arrays.fill(counts, 0);
        run(threads, measureMillis, paths, latencies, counts);
        List<Timed> timed = new ArrayList<>();
        for (int p = 0; p < paths.size(); p++) {
            timed.add(new Timed(names.get(p), latencies[p], counts[p]));
        }
        return timed;
    }

    private static void run(int threads, long millis, List<Way> paths, long[][] latencies, int[] counts)
            throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int me = w;
            Thread worker = new Thread(() -> {
                try {
                    for (long i = 0; System.nanoTime() < end; i++) {
                        int p = (int) (i % paths.size());
                        long t0 = System.nanoTime();
                        check(paths.get(p).write((int) ((me * 7919 + i) % 1000)));
                        long d = System.nanoTime() - t0;
                        synchronized (counts) {
                            if (counts[p] < latencies[p].length) {
                                latencies[p][counts[p]++] = d;
                            }
                        }
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "bench-writer-" + w);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void check(CompletionStage<WriteResult> stage) throws Exception {
        WriteResult r = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (r.outcome() != WriteResult.Outcome.DONE) {
            throw new IllegalStateException("write " + r.outcome() + ": " + r.reason());
        }
    }
}
