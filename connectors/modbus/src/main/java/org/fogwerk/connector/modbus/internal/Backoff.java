package org.fogwerk.connector.modbus.internal;

/**
 * When a connection is opened again, and how many silent requests it takes before it is given
 * up: the wait doubles from {@code reconnect.min} to {@code reconnect.max} until the device
 * answers a request (not merely takes the connection, or a device that accepts and then fails
 * would be retried at the shortest wait for ever). Touched only on the connection's thread.
 */
final class Backoff {

    /** Requests in a row, of any unit, left unanswered for the timeout before the connection is given up. */
    static final int SILENT_LIMIT = 3;

    private final long min;
    private final long max;
    private int attempt;
    private int silent;

    Backoff(long min, long max) {
        this.min = min;
        this.max = max;
    }

    /** The device answered (a value or a Modbus exception): the connection works. */
    void answered() {
        attempt = 0;
        silent = 0;
    }

    /** A new connection: its silent requests are counted afresh; the wait keeps growing until an answer. */
    void connected() {
        silent = 0;
    }

    /** The wait before the next attempt to connect. */
    long nextDelay() {
        long delay = Math.min(max, min << Math.min(attempt, 20));
        attempt++;
        return delay;
    }

    /** A request timed out on an open connection: whether the connection stays. */
    boolean staysAfterSilence() {
        return ++silent < SILENT_LIMIT;
    }
}
