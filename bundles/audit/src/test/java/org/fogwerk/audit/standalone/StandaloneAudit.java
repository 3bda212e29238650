package org.fogwerk.audit.standalone;

import java.nio.file.Path;

import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.audit.internal.AuditLog;

/**
 * The node's real, file-backed audit trail opened in a folder without OSGi, for the tests and
 * benchmarks of the modules that write through it. Shipped in the audit bundle's test jar only.
 */
public final class StandaloneAudit implements AutoCloseable {

    private final AuditLog log;

    private StandaloneAudit(AuditLog log) {
        this.log = log;
    }

    /** The trail as shipped: entries written before their write, forced to disk every 100 ms, 16 MiB files. */
    public static StandaloneAudit open(Path dir) {
        return open(dir, 16L * 1024 * 1024, 0, 100);
    }

    /**
     * A trail that begins a new file past {@code rotateBytes}, keeps the newest {@code keepFiles}
     * (0: all) and forces the file every {@code syncMillis} (0: before each entry is acknowledged).
     */
    public static StandaloneAudit open(Path dir, long rotateBytes, int keepFiles, long syncMillis) {
        return new StandaloneAudit(new AuditLog(new AuditLog.Settings(dir, rotateBytes, keepFiles, syncMillis, 5000)));
    }

    public AuditTrail trail() {
        return log;
    }

    @Override
    public void close() {
        log.close();
    }
}
