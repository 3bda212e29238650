package org.fogwerk.api.audit;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's append-only, hash-chained audit trail under {@code data/fogwerk/audit/}.
 * Appends are group-committed: the returned stage completes once the entry is synced to disk,
 * so an entry whose stage completed survives a crash of the node.
 */
@ProviderType
public interface AuditTrail {

    /** Records an event; completes with its entry once it is on disk, or exceptionally when it could not be written. */
    CompletionStage<AuditEntry> append(AuditEvent event);

    /** The entries that match, oldest first. */
    List<AuditEntry> query(AuditQuery query);

    /** Reads the whole trail and checks every hash and link. */
    AuditVerification verify();
}
