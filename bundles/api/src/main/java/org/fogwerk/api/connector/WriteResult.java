package org.fogwerk.api.connector;

import java.util.Objects;

/**
 * What became of a write to a machine.
 *
 * @param connectionId the connection written to
 * @param tag          the tag written
 * @param outcome      done, refused before it reached the machine, or failed on the way
 * @param reason       why it was refused or failed; empty when done
 */
public record WriteResult(String connectionId, String tag, Outcome outcome, String reason) {

    /** The three ends a write can come to. */
    public enum Outcome {
        /** The machine acknowledged the write. */
        DONE,
        /** The node refused it: read-only tag, wrong type, out of range, unknown tag. */
        REFUSED,
        /** It was sent but the machine or the network failed. */
        FAILED,
        /**
         * The caller may not: its role or the write policy of its source refuses it. Nothing
         * was written.
         *
         * @since 1.2
         */
        DENIED
    }

    public WriteResult {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
    }

    public static WriteResult done(String connectionId, String tag) {
        return new WriteResult(connectionId, tag, Outcome.DONE, "");
    }

    public static WriteResult refused(String connectionId, String tag, String reason) {
        return new WriteResult(connectionId, tag, Outcome.REFUSED, reason);
    }

    /** @since 1.2 */
    public static WriteResult denied(String connectionId, String tag, String reason) {
        return new WriteResult(connectionId, tag, Outcome.DENIED, reason);
    }

    public static WriteResult failed(String connectionId, String tag, String reason) {
        return new WriteResult(connectionId, tag, Outcome.FAILED, reason);
    }
}
