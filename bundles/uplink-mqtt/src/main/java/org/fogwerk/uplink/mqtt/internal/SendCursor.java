package org.fogwerk.uplink.mqtt.internal;

/**
 * One ordered pass of the sender over a range of sequence numbers in the outbox: the replay
 * (what was stored when the session began) or the live head (everything after it).
 *
 * <p>Only the sender thread uses a cursor.
 */
final class SendCursor {

    private final Outbox outbox;
    private final long end;
    private long position;
    /** Runs after a lookup found nothing, before the cursor moves: lets a test land a commit right there. */
    private final Runnable afterMiss;

    SendCursor(Outbox outbox, long from, long end) {
        this(outbox, from, end, null);
    }

    SendCursor(Outbox outbox, long from, long end, Runnable afterMiss) {
        this.outbox = outbox;
        this.position = from;
        this.end = end;
        this.afterMiss = afterMiss;
    }

    /**
     * The next committed message at or after the cursor, or -1 when there is none yet. The
     * cursor stays on it until {@link #sent}.
     */
    long next() {
        // Read the commit mark before looking: every message below it was in the map before the
        // mark moved, so when nothing is found below it the cursor may safely move up to it. A
        // mark read after the lookup may include a batch committed in between that the lookup
        // did not see, and moving to it would skip that batch for the rest of the session.
        long limit = Math.min(outbox.committedUpTo(), end);
        long seq = outbox.nextStored(position, limit);
        if (seq < 0) {
            if (afterMiss != null) {
                afterMiss.run();
            }
            position = Math.max(position, limit);
        }
        return seq;
    }

    /** The message was handed to the client (or is gone): move past it. */
    void sent(long seq) {
        position = Math.max(position, seq + 1);
    }

    /** Nothing is left in the range. */
    boolean done() {
        return position >= end;
    }

    long position() {
        return position;
    }
}
