package org.fogwerk.audit.internal;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the node's own listeners record: without waiting, and with an error line when it could not. */
final class Records {

    private static final Logger LOG = LoggerFactory.getLogger(Records.class);

    private Records() {
    }

    static void append(AuditTrail trail, AuditEvent event) {
        trail.append(event).exceptionally(e -> {
            LOG.error("Audit: {} {} {} not recorded: {}", event.kind(), event.target(), event.outcome(), e.toString());
            return null;
        });
    }
}
