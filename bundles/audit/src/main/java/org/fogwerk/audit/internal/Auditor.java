package org.fogwerk.audit.internal;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;

/** A listener of the node that records what it hears in the audit trail, without waiting for the disk. */
abstract class Auditor {

    private final AuditTrail trail;

    Auditor(AuditTrail trail) {
        this.trail = trail;
    }

    /** Records the event; when it cannot be recorded, the log says so. */
    final void record(AuditEvent event) {
        Records.append(trail, event);
    }
}
