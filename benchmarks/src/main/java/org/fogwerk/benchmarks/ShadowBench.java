package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.testing.ShadowStores;

/**
 * Updates per second and latency of update and get on the real shadow store (one
 * thread and eight), disk bytes written per update, and reported-state ingestion from the bus.
 */
public final class ShadowBench extends Benchmark {

    private static final int THINGS = 100;
    private static final int MAX_SAMPLES = 2_000_000;

    public ShadowBench(PrintStream out, long measureMillis) {
        super(out, measureMillis);
    }

    /** One row; latencies in ns, reduced at once so the samples do not stay on the heap. */
    private record Result(String op, int threads, long count, double seconds, double p50, double p99, double max,
            long wchar, long storage) {
    }

    public void run() throws Exception {
        Path base = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target"), "bench-shadow"));
        Path dir = Files.createTempDirectory(base, "store");
        try {
            out.printf("%nShadow store: %s on the local disk, %d things, classic shadow, update ="
                    + " reported {temperature, speed, state, counter} (ShadowUpdate, in process); %d s per row%n",
                    ShadowStores.file(dir), THINGS, measureMillis / 1000);
            List<Result> results = new ArrayList<>();
            var store = ShadowStores.open(dir);
            try {
                // warm up the JIT and create every thing
                ops(store, "update", 1, 2000, false);
                results.add(ops(store, "update", 1, measureMillis, true));
                results.add(ops(store, "update", 8, measureMillis, true));
                results.add(ops(store, "get", 1, Math.min(measureMillis, 5000), true));
                results.add(ops(store, "get", 8, Math.min(measureMillis, 5000), true));
                out.printf("  heap used after GC, store open with %d things: %s%n", THINGS,
                        Stats.mb(Stats.heapUsedAfterGc()));
            } finally {
                store.close();
            }
            long fileSize = Files.size(ShadowStores.file(dir));
            print(results, fileSize);

            Path dir2 = Files.createTempDirectory(base, "ingest");
            var store2 = ShadowStores.open(dir2);
            try {
                new IngestionBench(out, measureMillis).run(store2);
            } finally {
                store2.close();
            }
        } finally {
            deleteTemporary(base);
        }
    }

    private Result ops(ShadowStore store, String op, int threads, long millis, boolean record) throws Exception {
        long[][] lat = new long[threads][MAX_SAMPLES / threads];
        int[] n = new int[threads];
        long[] count = new long[threads];
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] end = new long[1];
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    long i = 0;
                    while (System.nanoTime() - end[0] < 0) {
                        // each thread its own things when there are several, so updates do not conflict
                        String thing = "thing" + (threads == 1 ? i % THINGS : me + threads * (i % (THINGS / threads)));
                        long t0 = System.nanoTime();
                        if (op.equals("update")) {
                            Map<String, Object> reported = new LinkedHashMap<>();
                            reported.put("temperature", 20.0 + (i % 100) / 10.0);
                            reported.put("speed", i);
                            reported.put("state", i % 2 == 0 ? "RUN" : "IDLE");
                            reported.put("counter", i * 3);
                            store.update(thing, ShadowStore.CLASSIC, ShadowUpdate.reported(reported));
                        } else {
                            store.get(thing, ShadowStore.CLASSIC);
                        }
                        long d = System.nanoTime() - t0;
                        if (n[me] < lat[me].length) {
                            lat[me][n[me]++] = d;
                        }
                        count[me]++;
                        i++;
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-shadow-" + t);
            workers.add(w);
            w.start();
        }
        long wchar0 = ProcIo.writeCalls();
        long storage0 = ProcIo.storageWrites();
        long t0 = System.nanoTime();
        end[0] = t0 + millis * 1_000_000L;
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long wchar = ProcIo.writeCalls() - wchar0;
        long storage = ProcIo.storageWrites() - storage0;
        if (failure.get() != null) {
            throw new IllegalStateException(op + " failed", failure.get());
        }
        long total = 0;
        int samples = 0;
        for (int t = 0; t < threads; t++) {
            total += count[t];
            samples += n[t];
        }
        long[] all = new long[samples];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(lat[t], 0, all, k, n[t]);
            k += n[t];
        }
        return new Result(op, threads, total, secs, Stats.percentile(all, samples, 50),
                Stats.percentile(all, samples, 99), Stats.percentile(all, samples, 100), wchar, storage);
    }

    private void print(List<Result> results, long fileSize) {
        Table t = new Table("Shadow store operations", "operation", "threads", "ops/s", "latency p50", "latency p99",
                "latency max", "bytes written/update (write calls)", "bytes written/update (to storage)");
        for (Result r : results) {
            boolean update = r.op.equals("update");
            t.row(r.op, r.threads, Table.f0(r.count / r.seconds), micros(r.p50), micros(r.p99), micros(r.max),
                    update && r.wchar >= 0 ? Table.f0((double) r.wchar / r.count) : "-",
                    update && r.storage >= 0 ? Table.f0((double) r.storage / r.count) : "-");
        }
        t.print(out);
        out.printf("  latency: time of one call of ShadowStore.update / get (update returns once committed)."
                + " Bytes written: /proc/self/io of the JVM during the row (wchar: bytes passed to write calls;"
                + " write_bytes: bytes sent to the block layer), divided by the updates. Store file at the end:"
                + " %s.%n", Stats.mb(fileSize));
    }

    static String micros(double nanos) {
        if (Double.isNaN(nanos)) {
            return "-";
        }
        return nanos >= 10_000_000 ? String.format("%.1f ms", nanos / 1e6) : String.format("%.1f us", nanos / 1000.0);
    }
}
