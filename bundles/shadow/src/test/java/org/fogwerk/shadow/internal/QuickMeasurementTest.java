package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.shadow.ShadowUpdate;
import org.h2.mvstore.FileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A quick measurement printed to the log (updates/s, p50/p99 of update and get, bytes written
 * per update). It asserts only behaviour; the numbers are for the report and the benchmark.
 */
class QuickMeasurementTest {

    private static final Logger LOG = LoggerFactory.getLogger(QuickMeasurementTest.class);

    @TempDir
    Path dir;

    @Test
    void measureUpdatesAndGets() throws Exception {
        Stores.inStore(dir, store -> {
            Map<String, Object> reported = Map.of("speed", 1200, "temp", 41.5, "state", "RUNNING",
                    "spindle", Map.of("load", 0.42, "rpm", 8000));
            // one caller: every update waits for its own disk sync
            long[] single = new long[500];
            long bytes0 = bytesWritten(store);
            long commits0 = store.commitCount();
            long t0 = System.nanoTime();
            for (int i = 0; i < single.length; i++) {
                long s = System.nanoTime();
                store.update("solo", "", ShadowUpdate.reported(Map.of("n", i, "m", reported)));
                single[i] = System.nanoTime() - s;
            }
            double soloSeconds = (System.nanoTime() - t0) / 1e9;
            long soloBytes = bytesWritten(store) - bytes0;
            LOG.info("1 thread: {} updates/s, update p50 {} ms p99 {} ms, {} bytes written per update, {} commits",
                    (long) (single.length / soloSeconds), ms(single, 50), ms(single, 99),
                    soloBytes / single.length, store.commitCount() - commits0);

            // 16 callers on 16 things: updates share disk syncs
            int threads = 16;
            int per = 250;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<long[]>> results = new ArrayList<>();
            bytes0 = bytesWritten(store);
            commits0 = store.commitCount();
            t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                String thing = "press" + t;
                results.add(pool.submit(() -> {
                    long[] lat = new long[per];
                    for (int i = 0; i < per; i++) {
                        long s = System.nanoTime();
                        store.update(thing, "", ShadowUpdate.reported(Map.of("n", i, "m", reported)));
                        lat[i] = System.nanoTime() - s;
                    }
                    return lat;
                }));
            }
            long[] all = new long[threads * per];
            int k = 0;
            for (Future<long[]> f : results) {
                for (long l : f.get(60, TimeUnit.SECONDS)) {
                    all[k++] = l;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long commits = store.commitCount() - commits0;
            long written = bytesWritten(store) - bytes0;
            LOG.info("{} threads: {} updates/s, update p50 {} ms p99 {} ms, {} commits for {} updates, {} bytes written"
                    + " per update", threads, (long) (all.length / seconds), ms(all, 50), ms(all, 99), commits,
                    all.length, written / all.length);

            // reads, while nothing is written and while a writer runs
            long[] gets = new long[50_000];
            for (int i = 0; i < gets.length; i++) {
                long s = System.nanoTime();
                store.get("press" + (i % threads), "");
                gets[i] = System.nanoTime() - s;
            }
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    store.update("press0", "", ShadowUpdate.reported(Map.of("n", per + i)));
                }
                return null;
            });
            long[] busyGets = new long[20_000];
            for (int i = 0; i < busyGets.length; i++) {
                long s = System.nanoTime();
                store.get("press" + (i % threads), "");
                busyGets[i] = System.nanoTime() - s;
            }
            writer.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            LOG.info("get: p50 {} ms p99 {} ms; while updates are written: p50 {} ms p99 {} ms", ms(gets, 50),
                    ms(gets, 99), ms(busyGets, 50), ms(busyGets, 99));
            LOG.info("file {} bytes for {} shadows", java.nio.file.Files.size(store.file()), store.things().size());

            for (int t = 1; t < threads; t++) {
                assertEquals(per, store.get("press" + t, "").version());
            }
            assertEquals(per + 200, store.get("press0", "").version());
        });
    }

    private static String ms(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1)];
        return String.format("%.3f", v / 1e6);
    }

    /** MVStore counts what it writes but keeps the counter private; good enough for a measurement. */
    private static long bytesWritten(ShadowStoreImpl store) throws Exception {
        Method m = FileStore.class.getDeclaredMethod("getWriteBytes");
        m.setAccessible(true);
        java.lang.reflect.Field f = ShadowStoreImpl.class.getDeclaredField("file");
        f.setAccessible(true);
        StoreFile file = (StoreFile) f.get(store);
        return (long) m.invoke(file.store.getFileStore());
    }
}
