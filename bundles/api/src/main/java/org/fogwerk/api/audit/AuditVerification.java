package org.fogwerk.api.audit;

import java.util.List;

/**
 * What a check of the whole chain found.
 *
 * @param entries    how many entries were read
 * @param intact     {@code true} when every entry's hash is right and chains to the one before
 * @param firstBreak the sequence number of the first entry whose chain breaks, 0 when intact
 * @param problems   each problem found, naming the file, line and entry, in trail order
 */
public record AuditVerification(long entries, boolean intact, long firstBreak, List<String> problems) {

    public AuditVerification {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
