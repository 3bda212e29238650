package org.fogwerk.audit.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import org.fogwerk.api.audit.AuditEntry;

/** Where a file of the trail ends: its last intact entry, and the first damage in it (line and what). */
record TrailEnd(AuditEntry last, int damageLine, String damage) {

    /**
     * Where the trail of a folder ends: its newest file, the last intact entry of the newest file
     * that has one (sequence 0 and the zero hash when none has), and the damage of the newest file.
     */
    record Found(AuditFiles.Numbered newest, long sequence, String hash, String damage) {
    }

    /** Reads the files from the newest back to the first with an intact entry; {@code files} is not empty. */
    static Found find(List<AuditFiles.Numbered> files) throws IOException {
        AuditFiles.Numbered newest = files.get(files.size() - 1);
        MessageDigest sha = EntryLines.sha256();
        String damage = null;
        for (int i = files.size() - 1; i >= 0; i--) {
            AuditFiles.Numbered f = files.get(i);
            TrailEnd t = read(f.path(), sha);
            if (f == newest && t.damage() != null) {
                damage = f.path().getFileName() + " line " + t.damageLine() + ": " + t.damage();
            }
            if (t.last() != null) {
                return new Found(newest, t.last().sequence(), t.last().hash(), damage);
            }
        }
        return new Found(newest, 0, EntryLines.ZERO_HASH, damage);
    }

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
