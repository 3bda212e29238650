package org.fogwerk.uplink.aws.internal;

/** Why one sync of a shadow ended early. */
final class SyncFailure {

    private SyncFailure() {
    }

    /** A version conflict on one side: merge again. */
    static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** Cannot sync now (no answer, store away, refused): try again later. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final long retryMs;

        Failed(String message, long retryMs) {
            super(message, null, false, false);
            this.retryMs = retryMs;
        }
    }
}
