package org.fogwerk.support.log;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether a connection's failure to connect is still part of starting up: it has never been
 * connected, and it was created less than a grace period ago.
 *
 * <p>At boot the machines, the network or the node's own simulators are often a moment behind
 * the connections; a WARN for each refused first attempt then only says the node started. Such
 * failures are logged at INFO; a connection still not up after the grace period, or one that
 * was up and is lost, is logged at WARN as before.
 */
public final class QuietStart {

    /** Long enough for a demo node's simulators and a PLC network after a power cut; short enough to notice. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    private final long createdNanos;
    private final long graceNanos;
    private final LongSupplier nanoClock;
    private volatile boolean everConnected;

    public QuietStart() {
        this(DEFAULT_GRACE, System::nanoTime);
    }

    public QuietStart(Duration grace, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.graceNanos = grace.toNanos();
        this.createdNanos = nanoClock.getAsLong();
    }

    /** Call when the connection is up: every later failure is a real one. */
    public void connected() {
        everConnected = true;
    }

    /** True while a failure to connect is part of starting up and belongs at INFO. */
    public boolean quiet() {
        return !everConnected && nanoClock.getAsLong() - createdNanos < graceNanos;
    }
}
