package org.fogwerk.audit.internal;

import java.nio.file.Path;

import org.fogwerk.api.audit.AuditTrail;

/** Opens and closes the real audit trail with its default limits. */
public final class BenchTrails {

    private BenchTrails() {
    }

    /** The trail as shipped: entries written before their write, forced to disk every 100 ms. */
    public static AuditTrail open(Path dir) {
        return open(dir, 100);
    }

    /** {@code syncMillis} 0: every entry forced to disk before it is acknowledged. */
    public static AuditTrail open(Path dir, long syncMillis) {
        return new AuditLog(new AuditLog.Settings(dir, 16L * 1024 * 1024, 0, syncMillis, 5000));
    }

    public static void close(AuditTrail trail) {
        ((AuditLog) trail).close();
    }
}
