package org.fogwerk.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.audit.standalone.StandaloneAudit;

/**
 * What the audit trail adds to a machine write: latency and appends/s of an append until it is
 * acknowledged, with 1, 8 and 64 writing threads, as shipped (acknowledged once written, forced to
 * disk every 100 ms) and forcing every entry before acknowledging it (group commit), next to a bare
 * write + force of a line of the same size (the disk's own floor).
 */
public final class AuditBench {

    private static final int MAX_SAMPLES = 2_000_000;

    private final PrintStream out;
    private final long measureMillis;

    public AuditBench(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
    }

    private record Result(String what, int threads, long count, double seconds, double p50, double p99) {
    }

    public void run() throws Exception {
        Path base = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target"), "bench-audit"));
        try {
            out.printf("%nAudit trail: append until acknowledged, a machine-write entry of about 330 bytes: as"
                    + " shipped (written, forced every 100 ms) and with sync.interval.ms = 0 (forced before it is"
                    + " acknowledged, group commit); journal: put on record as the write path does (copied into"
                    + " the memory-mapped journal, chained every 100 ms; appended when the journal is full);"
                    + " %d s per row%n", measureMillis / 1000);
            List<Result> results = new ArrayList<>();
            results.add(bareForce(Files.createTempDirectory(base, "bare")));
            for (long syncMillis : new long[] {100, 0}) {
                String what = syncMillis == 0 ? "append, forced each" : "append, as shipped";
                StandaloneAudit opened = StandaloneAudit.open(Files.createTempDirectory(base, "trail"),
                        16L * 1024 * 1024, 0, syncMillis);
                AuditTrail trail = opened.trail();
                try {
                    appends(trail, what, 1, 2000); // warm-up
                    results.add(appends(trail, what, 1, measureMillis));
                    results.add(appends(trail, what, 8, measureMillis));
                    results.add(appends(trail, what, 64, measureMillis));
                    if (syncMillis > 0) {
                        for (int threads : new int[] {1, 8, 64}) {
                            results.add(journals(trail, threads, measureMillis));
                        }
                    }
                } finally {
                    opened.close();
                }
            }
            Table t = new Table("Audit trail appends", "what", "threads", "ops/s", "latency p50 ms", "latency p99 ms");
            for (Result r : results) {
                t.row(r.what(), r.threads(), Table.f0(r.count() / r.seconds()), Table.f2(r.p50() / 1e6),
                        Table.f2(r.p99() / 1e6));
            }
            t.print(out);
        } finally {
            Benchmark.deleteTemporary(base);
        }
    }

    private Result bareForce(Path dir) throws IOException {
        byte[] line = new byte[330];
        java.util.Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        long[] lat = new long[MAX_SAMPLES];
        int n = 0;
        try (FileChannel ch = FileChannel.open(dir.resolve("bare.log"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(measureMillis);
            long start = System.nanoTime();
            while (System.nanoTime() < end && n < MAX_SAMPLES) {
                long t0 = System.nanoTime();
                ch.write(ByteBuffer.wrap(line));
                ch.force(false);
                lat[n++] = System.nanoTime() - t0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result("bare write + force", 1, n, seconds, Stats.percentile(lat, n, 50),
                    Stats.percentile(lat, n, 99));
        }
    }

    private Result appends(AuditTrail trail, String what, int threads, long millis) throws Exception {
        Workers.Run run = Workers.run(threads, millis, MAX_SAMPLES, (me, i) -> trail.append(event(me, i))
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        return new Result(what, threads, run.count(), run.seconds(), run.percentileNanos(50),
                run.percentileNanos(99));
    }

    private Result journals(AuditTrail trail, int threads, long millis) throws Exception {
        Workers.Run run = Workers.run(threads, millis, MAX_SAMPLES, (me, i) -> trail.journal(event(me, i))
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        return new Result("journal, as shipped", threads, run.count(), run.seconds(), run.percentileNanos(50),
                run.percentileNanos(99));
    }

    private static AuditEvent event(int writer, long i) {
        return new AuditEvent(AuditEvent.KIND_WRITE, "route", "route-press" + writer, "press" + writer,
                "opcua-press" + writer + "/ns=2;s=Line1.Press.Speed", Long.toString(i), "accepted", "");
    }
}
