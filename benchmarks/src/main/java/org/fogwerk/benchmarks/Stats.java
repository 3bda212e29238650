package org.fogwerk.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

import org.fogwerk.testing.FreePorts;

/** Small helpers shared by the benchmarks: percentiles, heap after GC, free ports, waiting. */
public final class Stats {

    private Stats() {
    }

    /** The p-th percentile (0..100) of the first {@code n} values, nearest rank; NaN when empty. */
    public static double percentile(long[] values, int n, double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * n);
        return sorted[Math.max(0, Math.min(n - 1, rank - 1))];
    }

    /** Heap used after a full collection, in bytes (a few GCs so the figure settles). */
    public static long heapUsedAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static int freePort() {
        return FreePorts.next();
    }

    /** {@code n} names made from a format such as {@code line%03d}: line000, line001, ... */
    public static String[] names(String format, int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = String.format(format, i);
        }
        return names;
    }

    /** Polls the condition every 10 ms until it holds or the timeout passes; true when it held. */
    public static boolean await(BooleanSupplier condition, long timeoutMillis) {
        return await(condition, timeoutMillis, 10);
    }

    /** Polls the condition every {@code pollMillis} until it holds or the timeout passes; true when it held. */
    public static boolean await(BooleanSupplier condition, long timeoutMillis, long pollMillis) {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
