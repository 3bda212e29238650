package org.fogwerk.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one operation from several threads for a while and keeps the latency of every call. */
final class Workers {

    /** One timed call of worker {@code worker}, its {@code i}-th. */
    @FunctionalInterface
    interface Operation {
        void run(int worker, long i) throws Exception;
    }

    /** What the workers did: calls, seconds, and every call's latency in nanoseconds. */
    record Run(long count, double seconds, long[] latencies) {
        double perSecond() {
            return count / seconds;
        }

        double percentileNanos(double p) {
            return Stats.percentile(latencies, latencies.length, p);
        }
    }

    private Workers() {
    }

    static Run run(int threads, long millis, int maxSamples, Operation op) throws Exception {
        long[][] lat = new long[threads][maxSamples / threads];
        int[] n = new int[threads];
        AtomicReference<Exception> failure = new AtomicReference<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread w = new Thread(() -> {
                try {
                    long i = 0;
                    while (System.nanoTime() < end && n[me] < lat[me].length) {
                        long t0 = System.nanoTime();
                        op.run(me, i++);
                        lat[me][n[me]++] = System.nanoTime() - t0;
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw failure.get();
        }
        int total = 0;
        for (int c : n) {
            total += c;
        }
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(lat[t], 0, all, k, n[t]);
            k += n[t];
        }
        return new Run(total, seconds, all);
    }

    /** Several runs as one. */
    static Run merge(Run... runs) {
        long count = 0;
        double seconds = 0;
        int n = 0;
        for (Run r : runs) {
            count += r.count();
            seconds += r.seconds();
            n += r.latencies().length;
        }
        long[] all = new long[n];
        int k = 0;
        for (Run r : runs) {
            System.arraycopy(r.latencies(), 0, all, k, r.latencies().length);
            k += r.latencies().length;
        }
        return new Run(count, seconds, all);
    }
}
