package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.audit.AuditEntry;
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
import org.fogwerk.audit.standalone.StandaloneAudit;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.connector.modbus.standalone.StandaloneModbus;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.simulator.internal.ModbusSimulatorConfig;
import org.osgi.util.converter.Converters;

/**
 * What role, write policy and audit add to a machine write. The same set point is written to the
 * in-node Modbus simulator over TCP, by 1 and by 8 threads, straight through the connector registry
 * (the baseline, no authority), through the write gateway without a trail (its checks alone) and
 * through the write gateway with the real audit trail on disk, as shipped and forcing every entry,
 * in short rounds taken in turn (each path first in a third of them) so all see the same machine
 * load; forcing every entry keeps the disk busy for a while and is measured after the others. Each
 * gateway round is set against the registry round of the same turn, and the median of those
 * ratios (robust to a neighbour's load coming and going) below 0.95 is reported as a drop.
 */
public final class WriteBench {

    private static final int MAX_SAMPLES = 1_000_000;
    private static final int ROUNDS = 30;
    private static final int FORCED_ROUNDS = 4;
    private static final Caller OPERATOR = Caller.user(Source.SHELL, "bench", Set.of(Roles.OPERATOR));

    private final PrintStream out;
    private final long measureMillis;

    public WriteBench(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
    }

    @FunctionalInterface
    private interface Write {
        WriteResult write(long value) throws Exception;
    }

    public void run() throws Exception {
        int port = Stats.freePort();
        ModbusSimulator sim = new ModbusSimulator(Converters.standardConverter()
                .convert(Map.of("port", port, "update.interval", 1000)).to(ModbusSimulatorConfig.class));
        Path dir = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target"))).resolve("bench-writes");
        Files.createDirectories(dir);
        StandaloneAudit shippedTrail = StandaloneAudit.open(dir.resolve("audit-shipped"));
        StandaloneAudit forcingTrail = StandaloneAudit.open(dir.resolve("audit-forced"), 16L * 1024 * 1024, 0, 0);
        AuditTrail shipped = shippedTrail.trail();
        AuditTrail forcing = forcingTrail.trail();
        ShadowStoreImpl store = org.fogwerk.testing.ShadowStores.open(dir.resolve("shadows"));
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
                WriteGateway gateway = node.gateway(store, shipped);
                WriteGateway forcingGateway = node.gateway(store, forcing);
                Write direct = v -> node.connectors().write("plc", "setpointInt3217", v).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                Write guarded = v -> gateway.write(OPERATOR, "plc", "setpointInt3217", v).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                Write forced = v -> forcingGateway.write(OPERATOR, "plc", "setpointInt3217", v)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                WriteGateway untracedGateway = node.gateway(store, new NoTrail());
                Write untraced = v -> untracedGateway.write(OPERATOR, "plc", "setpointInt3217", v)
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                rounds(direct, 1, 1000);
                rounds(guarded, 1, 1000); // warm-up
                rounds(untraced, 1, 1000);
                rounds(forced, 1, 1000);
                out.printf("%nMachine writes: set point to the in-node Modbus simulator over TCP; registry"
                        + " alone vs write gateway without a trail (role, policy and tag checks) and with it (audit"
                        + " entry written before the write and its outcome after), with the trail as shipped (forced"
                        + " to disk every 100 ms) and forcing every entry (sync.interval.ms = 0, measured after the"
                        + " others); %d rounds of %d ms, the paths in turn; vs registry: median of the rounds'"
                        + " ratios%n", ROUNDS, measureMillis / ROUNDS);
                Table t = new Table("Write path", "threads", "path", "writes/s", "p50 ms", "p99 ms", "vs registry");
                for (int threads : new int[] {1, 8}) {
                    Workers.Run[] a = new Workers.Run[ROUNDS];
                    Workers.Run[] b = new Workers.Run[ROUNDS];
                    Workers.Run[] c = new Workers.Run[FORCED_ROUNDS];
                    Workers.Run[] d = new Workers.Run[ROUNDS];
                    long round = measureMillis / ROUNDS;
                    for (int r = 0; r < ROUNDS; r++) {
                        // the three paths in turn, each first in a third of the rounds
                        for (int k = 0; k < 3; k++) {
                            switch ((r + k) % 3) {
                                case 0:
                                    a[r] = rounds(direct, threads, round);
                                    break;
                                case 1:
                                    d[r] = rounds(untraced, threads, round);
                                    break;
                                default:
                                    b[r] = rounds(guarded, threads, round);
                            }
                        }
                    }
                    // forcing every entry keeps the disk busy for a while: measured after the others
                    Workers.Run[] ac = new Workers.Run[FORCED_ROUNDS];
                    for (int r = 0; r < FORCED_ROUNDS; r++) {
                        ac[r] = rounds(direct, threads, measureMillis / FORCED_ROUNDS / 2);
                        c[r] = rounds(forced, threads, measureMillis / FORCED_ROUNDS / 2);
                    }
                    Workers.Run ra = Workers.merge(a);
                    Workers.Run rb = Workers.merge(b);
                    Workers.Run rc = Workers.merge(c);
                    Workers.Run rd = Workers.merge(d);
                    double ratio = medianRatio(b, a);
                    t.row(threads, "registry", Table.f0(ra.perSecond()), ms(ra, 50), ms(ra, 99), "1.00");
                    t.row(threads, "gateway without trail", Table.f0(rd.perSecond()), ms(rd, 50), ms(rd, 99),
                            Table.f2(medianRatio(d, a)));
                    t.row(threads, "gateway + trail as shipped", Table.f0(rb.perSecond()), ms(rb, 50), ms(rb, 99),
                            Table.f2(ratio) + (ratio < 0.95 ? " DROP" : ""));
                    t.row(threads, "gateway + trail forced each", Table.f0(rc.perSecond()), ms(rc, 50), ms(rc, 99),
                            Table.f2(medianRatio(c, ac)));
                }
                t.print(out);
            } finally {
                StandaloneModbus.close(plc);
            }
        } finally {
            shippedTrail.close();
            forcingTrail.close();
            store.close();
            sim.deactivate();
        }
    }

    /** The gateway's checks alone: an audit trail that takes every entry and keeps none. */
    private static final class NoTrail implements AuditTrail {
        @Override
        public CompletionStage<AuditEntry> append(AuditEvent event) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<AuditEntry> query(AuditQuery query) {
            return List.of();
        }

        @Override
        public AuditVerification verify() {
            return new AuditVerification(0, true, 0, List.of());
        }
    }

    /** The median over rounds of each round's rate against the registry round measured just before it. */
    private static double medianRatio(Workers.Run[] path, Workers.Run[] registry) {
        double[] r = new double[path.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = path[i].perSecond() / registry[i].perSecond();
        }
        Arrays.sort(r);
        return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }

    private static String ms(Workers.Run r, int percentile) {
        return Table.f2(r.percentileNanos(percentile) / 1e6);
    }

    private Workers.Run rounds(Write write, int threads, long millis) throws Exception {
        return Workers.run(threads, millis, MAX_SAMPLES, (me, i) -> {
            WriteResult r = write.write((me + i) % 1000);
            if (r.outcome() != WriteResult.Outcome.DONE) {
                throw new IllegalStateException("write " + r.outcome() + ": " + r.reason());
            }
        });
    }
}
