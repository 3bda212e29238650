package org.fogwerk.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * in-node Modbus simulator over TCP, by 1 and by 8 threads, straight through the connector registry
 * (the baseline, no authority), through the write gateway without a trail (its checks alone) and
 * through the write gateway with the real audit trail on disk, as shipped and forcing every entry.
 *
 * <p>Each path runs in a JVM of its own, as a node runs one of them: in one JVM the paths share
 * the compiler's profiles and each other's garbage, and what one measured depended on what ran
 * before it. The JVMs are started in turn, each path first in a third of the rounds, so all see
 * the same machine load; each gateway round is set against the registry round of the same turn,
 * and the median of those ratios below 0.95 is reported as a drop. Forcing every entry keeps the
 * disk busy for a while and runs after the others.
 */
public final class WriteBench {

    private static final int ROUNDS = 6;
    private static final long WARM_UP_MILLIS = 2000;
    private static final int MAX_SAMPLES = 1_000_000;
    private static final Caller OPERATOR = Caller.user(Source.SHELL, "bench", Set.of(Roles.OPERATOR));
    private static final String REGISTRY = "registry";
    private static final String UNTRACED = "gateway";
    private static final String TRACED = "trail";
    private static final String FORCED = "forced";

    private final PrintStream out;
    private final long measureMillis;

    public WriteBench(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
    }

    /** One path's figures from its JVM. */
    private record Result(double perSecond, double p50Millis, double p99Millis) {
    }

    public void run() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target")).resolve("bench-writes"));
        long round = Math.max(1000, measureMillis / ROUNDS);
        out.printf("%nMachine writes: set point to the in-node Modbus simulator over TCP; registry alone vs write"
                + " gateway without a trail (role, policy and tag checks) and with it (audit entry written before"
                + " the write and its outcome after), with the trail as shipped (forced to disk every 100 ms) and"
                + " forcing every entry (sync.interval.ms = 0, after the others); each path in a JVM of its own,"
                + " %d rounds of %d ms after %d ms warm-up, the paths in turn; vs registry: median of the rounds'"
                + " ratios%n", ROUNDS, round, WARM_UP_MILLIS);
        Table t = new Table("Write path", "threads", "path", "writes/s", "p50 ms", "p99 ms", "vs registry");
        for (int threads : new int[] {1, 8}) {
            Map<String, List<Result>> results = new HashMap<>();
            String[] turn = {REGISTRY, UNTRACED, TRACED};
            for (int r = 0; r < ROUNDS; r++) {
                for (int k = 0; k < turn.length; k++) {
                    String path = turn[(r + k) % turn.length];
                    results.computeIfAbsent(path, p -> new ArrayList<>()).add(child(path, threads, round, dir));
                }
            }
            List<Result> forcedBase = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                forcedBase.add(child(REGISTRY, threads, round, dir));
                results.computeIfAbsent(FORCED, p -> new ArrayList<>()).add(child(FORCED, threads, round, dir));
            }
            List<Result> registry = results.get(REGISTRY);
            double traced = medianRatio(results.get(TRACED), registry);
            row(t, threads, "registry", registry, "1.00");
            row(t, threads, "gateway without trail", results.get(UNTRACED),
                    Table.f2(medianRatio(results.get(UNTRACED), registry)));
            row(t, threads, "gateway + trail as shipped", results.get(TRACED),
                    Table.f2(traced) + (traced < 0.95 ? " DROP" : ""));
            row(t, threads, "gateway + trail forced each", results.get(FORCED),
                    Table.f2(medianRatio(results.get(FORCED), forcedBase)));
        }
        t.print(out);
    }

    private static void row(Table t, int threads, String name, List<Result> rs, String ratio) {
        t.row(threads, name, Table.f0(median(rs.stream().mapToDouble(Result::perSecond).toArray())),
                Table.f2(median(rs.stream().mapToDouble(Result::p50Millis).toArray())),
                Table.f2(median(rs.stream().mapToDouble(Result::p99Millis).toArray())), ratio);
    }

    /** The median over rounds of each round's rate against the registry's in the same turn. */
    private static double medianRatio(List<Result> path, List<Result> registry) {
        double[] r = new double[path.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = path.get(i).perSecond() / registry.get(i).perSecond();
        }
        return median(r);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Runs one path in a JVM of its own and reads its figures. */
    private static Result child(String path, int threads, long millis, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-Dorg.slf4j.simpleLogger.log.com.ghgande.j2mod=error");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Child.class.getName());
        cmd.add(path);
        cmd.add(Integer.toString(threads));
        cmd.add(Long.toString(millis));
        cmd.add(dir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                all.append(line).append('\n');
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || result == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the " + path + " run failed:\n" + all);
        }
        String[] f = result.split(" ");
        return new Result(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]));
    }

    /** One path in this JVM: {@code path threads millis dir}; prints {@code RESULT writes/s p50ms p99ms}. */
    public static final class Child {

        private Child() {
        }

        public static void main(String[] args) throws Exception {
            String path = args[0];
            int threads = Integer.parseInt(args[1]);
            long millis = Long.parseLong(args[2]);
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of(args[3])), path);
            int port = Stats.freePort();
            ModbusSimulator sim = new ModbusSimulator(Converters.standardConverter()
                    .convert(Map.of("port", port, "update.interval", 1000)).to(ModbusSimulatorConfig.class));
            StandaloneAudit trail = StandaloneAudit.open(dir.resolve("audit"), 16L * 1024 * 1024, 0,
                    FORCED.equals(path) ? 0 : 100);
            ShadowStoreImpl store = ShadowStores.open(dir.resolve("shadows"));
            try (StandaloneCore node = new StandaloneCore()) {
                Map<String, Object> cfg = new HashMap<>();
                cfg.put("host", "127.0.0.1");
                cfg.put("port", port);
                cfg.put("poll.interval", 1000L);
                cfg.put("tags", "setpointInt3217,,holding,0,int32,,,,,rw");
                Connector plc = StandaloneModbus.open("plc", cfg, node.sink());
                try {
                    if (!Stats.await(() -> plc.status().state() == ConnectorState.CONNECTED, 10_000)) {
                        throw new IllegalStateException("the Modbus connection did not connect: " + plc.status());
                    }
                    node.add(plc);
                    WriteGateway gateway = node.gateway(store, UNTRACED.equals(path) ? new DiscardingAuditTrail() : trail.trail());
                    Workers.Operation write = REGISTRY.equals(path)
                            ? (me, i) -> check(node.connectors().write("plc", "setpointInt3217", (me + i) % 1000))
                            : (me, i) -> check(gateway.write(OPERATOR, "plc", "setpointInt3217", (me + i) % 1000));
                    Workers.run(threads, WARM_UP_MILLIS, MAX_SAMPLES, write);
                    Workers.Run r = Workers.run(threads, millis, MAX_SAMPLES, write);
                    System.out.printf("RESULT %.1f %.4f %.4f%n", r.perSecond(), r.percentileNanos(50) / 1e6,
                            r.percentileNanos(99) / 1e6);
                } finally {
                    StandaloneModbus.close(plc);
                }
            } finally {
                trail.close();
                store.close();
                sim.deactivate();
            }
        }

        private static void check(CompletionStage<WriteResult> stage) throws Exception {
            WriteResult r = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (r.outcome() != WriteResult.Outcome.DONE) {
                throw new IllegalStateException("write " + r.outcome() + ": " + r.reason());
            }
        }
    }
}
