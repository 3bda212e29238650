package org.fogwerk.audit.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditVerification;

/**
 * Reads the trail's files in order, up to where the trail had written when the reader was made
 * (a line being written meanwhile is not read half): for queries and for verification.
 *
 * @param lastFile   the file being written; later files are not read
 * @param lastLength how much of it is written ({@code < 0}: all of it)
 */
record TrailReader(Path dir, int lastFile, long lastLength) {

    private interface FileLines {
        void line(String file, int line, byte[] bytes, int from, int to, boolean complete);
    }

    /** Hands over every line of the trail, in order, up to what is written. */
    private void readAll(FileLines visitor) throws IOException {
        for (AuditFiles.Numbered f : AuditFiles.list(dir)) {
            if (f.number() > lastFile) {
                break;
            }
            long limit = f.number() == lastFile ? lastLength : -1;
            String name = f.path().getFileName().toString();
            AuditFiles.readLines(f.path(), limit, (line, bytes, from, to, complete) -> visitor.line(name, line,
                    bytes, from, to, complete));
        }
    }

    /** The entries the query asks for, oldest first; unreadable or cut lines are for {@link #verify()}. */
    List<AuditEntry> query(AuditQuery q) {
        AuditQuery query = q == null ? AuditQuery.newest(0) : q;
        QueryFilter filter = new QueryFilter(query);
        ArrayDeque<AuditEntry> found = new ArrayDeque<>();
        MessageDigest sha = EntryLines.sha256();
        try {
            readAll((file, line, bytes, from, to, complete) -> {
                EntryLines.Decoded d = EntryLines.decode(bytes, from, to, sha);
                if (!d.readable() || !complete) {
                    return; // listed by verify, not here
                }
                if (filter.accepts(d.entry())) {
                    found.addLast(d.entry());
                    if (query.limit() > 0 && found.size() > query.limit()) {
                        found.removeFirst();
                    }
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the audit trail in " + dir + ": " + e, e);
        }
        return new ArrayList<>(found);
    }

    /** Every entry's hash and its link to the one before, and the lines that are not entries. */
    AuditVerification verify() {
        ChainCheck check = new ChainCheck();
        MessageDigest sha = EntryLines.sha256();
        try {
            readAll((file, line, bytes, from, to, complete) -> check.line(file, line,
                    EntryLines.decode(bytes, from, to, sha), complete));
        } catch (IOException e) {
            check.problem("cannot read the audit trail in " + dir + ": " + e);
        }
        return check.result();
    }
}
