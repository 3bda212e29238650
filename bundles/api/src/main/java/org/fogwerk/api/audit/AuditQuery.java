package org.fogwerk.api.audit;

import java.time.Instant;

/**
 * Which entries to list; {@code null} or empty fields do not filter.
 *
 * @param since  only entries recorded at or after this time
 * @param thing  only entries of this thing (a glob: {@code press*})
 * @param source only entries from this source (a glob)
 * @param identity only entries of this identity (a glob)
 * @param kind   only entries of this kind
 * @param limit  at most this many, the newest; 0 for no limit
 */
public record AuditQuery(Instant since, String thing, String source, String identity, String kind, int limit) {

    /** The newest {@code limit} entries. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, null, limit);
    }
}
