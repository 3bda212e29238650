package org.fogwerk.audit.internal;

import java.nio.file.Path;

import org.fogwerk.api.audit.AuditTrail;

/** The node's real, file-backed audit trail, opened in a folder of the test's without OSGi. */
public final class AuditTrails {

    private AuditTrails() {
    }

    /** A trail that begins a new file past {@code rotateBytes} and keeps the newest {@code keepFiles}. */
    public static Trail open(Path dir, long rotateBytes, int keepFiles) {
        return new Trail(new AuditLog(new AuditLog.Settings(dir, rotateBytes, keepFiles, 100, 5000)));
    }

    /** The trail and how to close it. */
    public record Trail(AuditTrail trail, AutoCloseable closer) implements AutoCloseable {
        Trail(AuditLog log) {
            this(log, log);
        }

        @Override
        public void close() throws Exception {
            closer.close();
        }
    }
}
