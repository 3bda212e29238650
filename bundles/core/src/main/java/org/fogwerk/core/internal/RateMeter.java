package org.fogwerk.core.internal;

/**
 * Turns an ever-growing count into a per-second rate, smoothed over the last few seconds.
 * {@link #tick(long, long)} is called by one thread about once a second.
 */
final class RateMeter {

    private static final double SMOOTHING = 0.5;

    private long lastCount;
    private long lastNanos;
    private volatile double rate;
    private boolean started;

    void tick(long count, long nanos) {
        if (started && nanos > lastNanos) {
            double current = (count - lastCount) * 1e9 / (nanos - lastNanos);
            rate = rate == 0 ? current : SMOOTHING * current + (1 - SMOOTHING) * rate;
        }
        started = true;
        lastCount = count;
        lastNanos = nanos;
    }

    double perSecond() {
        return rate;
    }
}
