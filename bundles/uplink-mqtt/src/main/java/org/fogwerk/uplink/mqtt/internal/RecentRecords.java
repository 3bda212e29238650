package org.fogwerk.uplink.mqtt.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest committed records of an outbox, kept in memory for the sender. A sender that keeps
 * up sends a message a few milliseconds after its commit: it takes the record from here instead
 * of finding it again in the store, whose pages were written out at the commit and would be read
 * back and checked. Small records only, in a ring of fixed size: a record pushed out by newer ones,
 * or too large, is read from the store as before.
 *
 * <p>A record is here only while it is in the store: the outbox takes it out when the broker
 * acknowledges it, and when it is dropped or set aside.
 */
final class RecentRecords {

    /** Ring size: some 80 ms of messages at 50,000 messages/s. */
    static final int SLOTS = 4096;
    /** Records above this size are not kept: at most {@code SLOTS * MAX_BYTES} (2 MiB) in memory. */
    static final int MAX_BYTES = 512;

    private record Slot(long seq, byte[] record) {
    }

    private final AtomicReferenceArray<Slot> ring = new AtomicReferenceArray<>(SLOTS);

    /** Called by the outbox writer for each record it commits. */
    void put(long seq, byte[] record) {
        int i = index(seq);
        ring.set(i, record.length <= MAX_BYTES ? new Slot(seq, record) : null);
    }

    /** The committed record of {@code seq} if it is here, else {@code null}. */
    byte[] get(long seq) {
        Slot s = ring.get(index(seq));
        return s != null && s.seq == seq ? s.record : null;
    }

    /** The record of {@code seq} left the outbox. */
    void remove(long seq) {
        int i = index(seq);
        Slot s = ring.get(i);
        if (s != null && s.seq == seq) {
            ring.compareAndSet(i, s, null);
        }
    }

    private static int index(long seq) {
        return (int) (seq & (SLOTS - 1));
    }
}
