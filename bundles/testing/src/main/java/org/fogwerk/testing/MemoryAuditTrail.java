package org.fogwerk.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.audit.AuditVerification;

/** An audit trail in memory, chained like the real one; it can be made to fail to test that writes stop. */
public final class MemoryAuditTrail implements AuditTrail {

    private final List<AuditEntry> entries = new ArrayList<>();
    private volatile Throwable failure;

    /** From now on every append fails, as a full disk would make it (or, with {@code false}, none does). */
    public void failing(boolean fail) {
        failWith(fail ? new java.io.IOException("no space left on device") : null);
    }

    /** From now on every append fails with {@code cause} (or, with {@code null}, none does). */
    public void failWith(Throwable cause) {
        this.failure = cause;
    }

    @Override
    public synchronized CompletionStage<AuditEntry> append(AuditEvent event) {
        Throwable cause = failure;
        if (cause != null) {
            return CompletableFuture.failedFuture(cause);
        }
        String previous = entries.isEmpty() ? "0".repeat(64) : entries.get(entries.size() - 1).hash();
        long seq = entries.size() + 1L;
        Instant now = Instant.now();
        AuditEntry entry = new AuditEntry(seq, now, event, previous, sha256(seq + "|" + now + "|" + event + "|"
                + previous));
        entries.add(entry);
        return CompletableFuture.completedFuture(entry);
    }

    @Override
    public synchronized List<AuditEntry> query(AuditQuery q) {
        List<AuditEntry> result = new ArrayList<>();
        for (AuditEntry e : entries) {
            if ((q.kind() == null || q.kind().equals(e.event().kind()))
                    && (q.source() == null || q.source().equals(e.event().source()))
                    && (q.thing() == null || q.thing().equals(e.event().thing()))) {
                result.add(e);
            }
        }
        return q.limit() > 0 && result.size() > q.limit() ? result.subList(result.size() - q.limit(), result.size())
                : result;
    }

    /** Every event, oldest first. */
    public synchronized List<AuditEvent> events() {
        List<AuditEvent> result = new ArrayList<>();
        entries.forEach(e -> result.add(e.event()));
        return result;
    }

    @Override
    public synchronized AuditVerification verify() {
        return new AuditVerification(entries.size(), true, 0, List.of());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
