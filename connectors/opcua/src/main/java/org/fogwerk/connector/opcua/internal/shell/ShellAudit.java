package org.fogwerk.connector.opcua.internal.shell;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Puts a shell command's change, or its refused or failed attempt, in the node's audit trail. */
final class ShellAudit {

    private static final Logger LOG = LoggerFactory.getLogger(ShellAudit.class);
    private static final long WAIT_SECONDS = 10;

    private ShellAudit() {
    }

    /** The entry a change leaves in the trail, by its outcome ({@code done}, {@code failed}, {@code denied}). */
    interface Entry {
        AuditEvent of(String outcome, String detail);
    }

    /**
     * Makes the change and records it, or records the failure and passes it on. The change stands
     * when the trail cannot record it, and the answer says so.
     */
    static String change(AuditTrail trail, Entry entry, Callable<String> change) throws Exception {
        String done;
        try {
            done = change.call();
        } catch (Exception e) {
            record(trail, entry.of("failed", e.getMessage()));
            throw e;
        }
        String notRecorded = record(trail, entry.of("done", done));
        return notRecorded == null ? done : done + "\nnot recorded in the audit trail: " + notRecorded;
    }

    /**
     * Waits until the entry is on disk; returns why it could not be recorded, or {@code null}
     * (also without a trail: without the audit feature the change is made and not recorded).
     */
    static String record(AuditTrail trail, AuditEvent event) {
        if (trail == null) {
            return null;
        }
        try {
            trail.append(event).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.error("{} {} of {} ({}) not recorded in the audit trail: {}", event.kind(), event.value(),
                    event.target(), event.outcome(), cause.toString());
            return cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
    }
}
