package org.fogwerk.api.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as it stands in the trail.
 *
 * @param sequence     its place in the trail, from 1, without gaps
 * @param time         when it was recorded
 * @param event        what happened
 * @param previousHash the hash of the entry before it (hex), all zeros for the first
 * @param hash         the hash of this entry (hex) over its sequence, time, event and previous hash
 */
public record AuditEntry(long sequence, Instant time, AuditEvent event, String previousHash, String hash) {

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }
}
