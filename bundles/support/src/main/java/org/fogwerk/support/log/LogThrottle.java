package org.fogwerk.support.log;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A budget for a log line that can repeat without end: a listener that fails on every value, a
 * store that refuses every write, a queue that drops under load. Written each time, such a line
 * fills the disk and buries everything else; held to a few lines per window, it still says that
 * the failure goes on and how often.
 *
 * <p>The first line passes; within a window only {@code linesPerWindow} lines pass, the others
 * are counted. The first line after the window is over passes again, starts a new window and
 * tells its caller how many were held back, so the line can say so. Safe to call from several
 * threads.
 */
public final class LogThrottle {

    private final int linesPerWindow;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private long windowStart = Long.MIN_VALUE;
    private int written;
    private long held;

    /** One line per {@code window}. */
    public LogThrottle(Duration window) {
        this(1, window, System::nanoTime);
    }

    /**
     * @param linesPerWindow how many lines pass in one window
     * @param window         how long a window lasts
     * @param nanoClock      the clock, {@code System::nanoTime} but in tests
     */
    public LogThrottle(int linesPerWindow, Duration window, LongSupplier nanoClock) {
        if (linesPerWindow < 1) {
            throw new IllegalArgumentException("linesPerWindow must be at least 1: " + linesPerWindow);
        }
        this.linesPerWindow = linesPerWindow;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The length of a window, for the line that says how many were held back. */
    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /**
     * Whether a line may be written now.
     *
     * @return {@code -1} when not (it is counted); otherwise how many lines were held back since the
     *         last line written, 0 for none
     */
    public long admit() {
        return admit(nanoClock.getAsLong());
    }

    /** {@link #admit()} at the given time of the clock. */
    public synchronized long admit(long nowNanos) {
        long before = 0;
        if (windowStart == Long.MIN_VALUE || nowNanos - windowStart >= windowNanos) {
            before = held;
            windowStart = nowNanos;
            written = 0;
            held = 0;
        }
        if (written >= linesPerWindow) {
            held++;
            return -1;
        }
        written++;
        return before;
    }

    /**
     * A line that had to be written whatever the budget (the first failure of one of many things)
     * was written now: the window starts again and is used up.
     */
    public synchronized void wroteAnyway() {
        windowStart = nanoClock.getAsLong();
        written = linesPerWindow;
    }
}
