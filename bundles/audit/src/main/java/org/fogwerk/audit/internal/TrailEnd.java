package org.fogwerk.audit.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;

import org.fogwerk.api.audit.AuditEntry;

/** Where a file of the trail ends: its last intact entry, and the first damage in it (line and what). */
record TrailEnd(AuditEntry last, int damageLine, String damage) {

    /** The last entry whose hash is right, and the first problem in the file if any. */
    static TrailEnd read(Path file, MessageDigest sha) throws IOException {
        ChainCheck check = new ChainCheck();
        AuditEntry[] last = new AuditEntry[1];
        int[] firstBad = new int[1];
        String[] firstProblem = new String[1];
        AuditFiles.readLines(file, -1, (line, bytes, from, to, complete) -> {
            EntryLines.Decoded d = EntryLines.decode(bytes, from, to, sha);
            if (d.readable() && d.hashMatches() && complete) {
                last[0] = d.entry();
            }
            if (!check.line("", line, d, complete) && firstBad[0] == 0) {
                firstBad[0] = line;
                firstProblem[0] = describe(d, complete);
            }
        });
        return new TrailEnd(last[0], firstBad[0], firstProblem[0]);
    }

    private static String describe(EntryLines.Decoded d, boolean complete) {
        if (!complete) {
            return "incomplete last entry";
        }
        if (!d.readable()) {
            return d.error();
        }
        return d.hashMatches() ? "sequence " + d.entry().sequence() + " does not chain to the entry before it"
                : "sequence " + d.entry().sequence() + " was edited (hash does not match)";
    }
}
