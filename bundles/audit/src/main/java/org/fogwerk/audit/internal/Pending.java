package org.fogwerk.audit.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;

/**
 * An entry of the {@link AuditLog} waiting to be written; whoever holds the trail's lock writes
 * every one waiting (one system call). Its body is encoded by the thread that queued it, so the holder of the lock only
 * numbers and chains it.
 */
final class Pending {
    static final int WAITING = 0;
    static final int TAKEN = 1;
    static final int GIVEN_UP = 2;

    final AuditEvent event;
    final Instant time;
    private volatile byte[] body;
    /** Queued by {@link AuditLog#record}: nobody waits for it, a failure is counted in {@link AuditLog#unwritten()}. */
    final boolean recorded;
    /** Taken from the journal: nobody waits for it, and it stays there until it is written. */
    final boolean journaled;
    /** Where it is in the journal, when {@link #journaled}. */
    final long journalPosition;
    final AtomicInteger state = new AtomicInteger(WAITING);
    AuditEntry entry;
    Exception error;
    long upTo;
    volatile boolean done;

    Pending(AuditEvent event, Instant time) {
        this(event, time, false);
    }

    Pending(AuditEvent event, Instant time, boolean recorded) {
        this(event, time, recorded, false, -1);
    }

    /** An entry taken from the journal at {@code position}. */
    Pending(AuditEvent event, Instant time, long position) {
        this(event, time, true, true, position);
    }

    private Pending(AuditEvent event, Instant time, boolean recorded, boolean journaled, long position) {
        this.event = event;
        this.time = time;
        this.recorded = recorded;
        this.journaled = journaled;
        this.journalPosition = position;
        if (!recorded) {
            body = EntryLines.body(time, event); // on the appending thread, before it takes the lock
        }
    }

    /** The entry's body, encoded by the first thread that needs it. */
    byte[] body() {
        byte[] b = body;
        if (b == null) {
            b = EntryLines.body(time, event);
            body = b;
        }
        return b;
    }
}
