package org.fogwerk.connector.opcua.internal.shell;

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
