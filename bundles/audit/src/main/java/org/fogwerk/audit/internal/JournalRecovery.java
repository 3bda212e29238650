package org.fogwerk.audit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening the trail's journal: what the trail chains at start from what it kept from before. */
final class JournalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    private JournalRecovery() {
    }

    /** Writes entries into the trail and forces them to disk (under the trail's lock). */
    interface Chain {
        void write(List<Pending> entries) throws IOException;
    }

    /**
     * Opens the journal in {@code dir}, chains what it kept from before and is not in the trail,
     * and empties it; returns it when {@code use}. A journal that cannot be opened or emptied is
     * not used ({@code null}): the trail then writes entries on their callers' threads, and the
     * journal keeps its entries for the next start. Without {@code use}, a journal that is not
     * there is not made.
     */
    static Journal open(Path dir, int ringSize, boolean use, Instant now, Chain chain) {
        if (!use && !Files.exists(dir.resolve(Journal.FILE))) {
            return null;
        }
        Journal j;
        try {
            j = Journal.open(dir, ringSize);
        } catch (IOException | RuntimeException e) {
            LOG.error("Audit trail: cannot open its journal in {}: {}; entries are written as they come", dir,
                    e.toString());
            return null;
        }
        try {
            List<Pending> missing = missing(dir, j.recover(), now);
            if (!missing.isEmpty()) {
                chain.write(missing);
                LOG.info("Audit trail: {} entries on record in the journal chained into the trail", missing.size());
            }
            j.clear();
            return use ? j : null;
        } catch (IOException | RuntimeException e) {
            LOG.error("Audit trail: cannot chain the entries of its journal {}: {}; the journal is kept for the next"
                    + " start and entries are written as they come", j.file(), e.toString());
            return null;
        }
    }

    /**
     * The journal's entries that the trail in {@code dir} does not hold already (the node may have
     * stopped after chaining them and before the journal let go of them), oldest first, and a note
     * about damage found in the journal last.
     */
    private static List<Pending> missing(Path dir, Journal.Recovered found, Instant now) {
        List<Pending> missing = new ArrayList<>();
        for (Journal.Taken t : notInTrail(dir, found.entries())) {
            missing.add(new Pending(t.event(), t.time()));
        }
        if (found.damage() != null) {
            int chained = missing.size();
            LOG.error("Audit trail: journal in {} damaged: {}; the {} entries before the damage are chained", dir,
                    found.damage(), chained);
            missing.add(new Pending(new AuditEvent(AuditLog.KIND_AUDIT, "node", "", "", Journal.FILE, "", "damaged",
                    found.damage() + "; the " + chained + " entries before it are chained"), now));
        }
        return missing;
    }

    private static List<Journal.Taken> notInTrail(Path dir, List<Journal.Taken> entries) {
        if (entries.isEmpty()) {
            return entries;
        }
        Instant since = entries.get(0).time();
        for (Journal.Taken t : entries) {
            since = t.time().isBefore(since) ? t.time() : since;
        }
        // counted: two entries alike to the nanosecond are two entries
        Map<Journal.Taken, Integer> chained = new HashMap<>();
        for (AuditEntry e : new TrailReader(dir, Integer.MAX_VALUE, -1)
                .query(new AuditQuery(since, null, null, null, null, 0))) {
            chained.merge(new Journal.Taken(e.time(), e.event(), -1), 1, Integer::sum);
        }
        List<Journal.Taken> missing = new ArrayList<>();
        for (Journal.Taken t : entries) {
            Integer n = chained.get(t);
            if (n == null) {
                missing.add(t);
            } else if (n == 1) {
                chained.remove(t);
            } else {
                chained.put(t, n - 1);
            }
        }
        return missing;
    }
}
