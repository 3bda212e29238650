package org.fogwerk.api.audit;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's append-only, hash-chained audit trail under {@code data/fogwerk/audit/}.
 * The stage an append returns completes once the entry is written to the trail's file, so an entry
 * whose stage completed survives a crash of the node; when it is also forced to disk is the trail's
 * configuration.
 */
@ProviderType
public interface AuditTrail {

    /** Records an event; completes with its entry once it is written, or exceptionally when it could not be. */
    CompletionStage<AuditEntry> append(AuditEvent event);

    /**
     * Puts an event on record without waiting for its entry to be numbered, chained and written:
     * once the stage completes the event survives the node being killed, and the trail chains it,
     * in its place in the order of events, within its sync interval or before anyone reads the
     * trail. For a caller on a machine's write path, which must not wait for a disk: the stage
     * usually completes at once. Completes exceptionally when the event could not be put on record.
     *
     * @since 1.3
     */
    default CompletionStage<Void> journal(AuditEvent event) {
        return append(event).thenApply(entry -> null);
    }

    /**
     * Records an event nobody waits for (the outcome of a write whose request is already on
     * record): it is written, in its place in the order of events, with the next entry or within
     * the trail's sync interval; where the trail keeps a journal it is on record, as with
     * {@link #journal}, once this returns. A failure to write it is logged by the trail.
     */
    default void record(AuditEvent event) {
        append(event);
    }

    /**
     * Writes what {@link #record} queued, on the calling thread, if the trail is free at once, and
     * returns at once otherwise. A thread that has just handed a result to its caller calls it, so
     * that the outcome goes to the file while the caller moves on, and the caller's next entry does
     * not carry it. Never throws.
     *
     * @since 1.2
     */
    default void flush() {
    }

    /**
     * How many entries the trail could not write since it was opened: recorded outcomes, which
     * nobody waits for (an entry that is waited for fails its caller instead).
     *
     * @since 1.2
     */
    default long unwritten() {
        return 0;
    }

    /** The entries that match, oldest first. */
    List<AuditEntry> query(AuditQuery query);

    /** Reads the whole trail and checks every hash and link. */
    AuditVerification verify();
}
