package org.fogwerk.audit.internal;

import java.nio.file.Path;

import org.fogwerk.api.audit.AuditTrail;

/** Opens and closes the real audit trail with its default limits. */
public final class BenchTrails {

    private BenchTrails() {
    }

    public static AuditTrail open(Path dir) {
        return new AuditLog(new AuditLog.Settings(dir, 16L * 1024 * 1024, 0, 100_000));
    }

    public static void close(AuditTrail trail) {
        ((AuditLog) trail).close();
    }
}
