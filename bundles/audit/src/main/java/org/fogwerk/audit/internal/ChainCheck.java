package org.fogwerk.audit.internal;

import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditVerification;

/**
 * Follows the chain line by line through the files in order. After a problem it takes the line as
 * it stands and goes on, so each later problem is found on its own and nothing is skipped silently.
 */
final class ChainCheck {

    private long entries;
    private long lastSequence;
    private String lastHash;
    private long firstBreak;
    private final List<String> problems = new ArrayList<>();

    /** Takes one line; returns {@code false} when it breaks the chain. */
    boolean line(String file, int line, EntryLines.Decoded d, boolean complete) {
        String where = file + " line " + line;
        if (!d.readable() || !complete) {
            String why = !complete && !d.readable() ? "incomplete entry, cut off without its end of line"
                    : !complete ? "entry without its end of line" : d.error();
            long expected = lastSequence + 1;
            problem(expected, where + " (sequence " + expected + " expected): " + why);
            return false;
        }
        AuditEntry e = d.entry();
        long s = e.sequence();
        List<String> why = new ArrayList<>(2);
        if (!d.hashMatches()) {
            why.add("its hash does not match its content (the entry was edited)");
        }
        if (lastHash == null) {
            if (s == 1 && !e.previousHash().equals(EntryLines.ZERO_HASH)) {
                why.add("the first entry must chain to the zero hash");
            }
            // a trail that starts later than 1 lost its oldest files to rotation (keep.files)
        } else {
            if (s <= lastSequence) {
                why.add("sequence " + s + " after " + lastSequence + " (entries reordered or repeated)");
            } else if (s > lastSequence + 1) {
                why.add(s == lastSequence + 2 ? "sequence " + (lastSequence + 1) + " is missing"
                        : "sequences " + (lastSequence + 1) + " to " + (s - 1) + " are missing");
            }
            if (!e.previousHash().equals(lastHash)) {
                why.add("its previous hash is not the hash of sequence " + lastSequence
                        + " (an entry before it was removed, edited or moved)");
            }
        }
        entries++;
        lastSequence = s;
        lastHash = e.hash();
        if (why.isEmpty()) {
            return true;
        }
        problem(s, where + ", sequence " + s + ": " + String.join("; ", why));
        return false;
    }

    private void problem(long sequence, String text) {
        if (firstBreak == 0) {
            firstBreak = Math.max(1, sequence);
        }
        problems.add(text);
    }

    /** A problem that is not about one line, e.g. a file that could not be read. */
    void problem(String text) {
        problem(lastSequence + 1, text);
    }

    AuditVerification result() {
        return new AuditVerification(entries, problems.isEmpty(), firstBreak, problems);
    }
}
