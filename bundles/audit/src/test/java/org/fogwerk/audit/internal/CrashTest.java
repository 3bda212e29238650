package org.fogwerk.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditVerification;
import org.fogwerk.testing.KilledWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An entry acknowledged to its caller survives kill -9 of the JVM, and the trail stays intact. */
class CrashTest {

    private static final int THREADS = 4;
    private static final int ACKS_BEFORE_KILL = 3000;

    private final KilledWriter writer = new KilledWriter(CrashWriter.class, THREADS);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
        Map<Long, String> acked = new HashMap<>();
        writer.runUntilKilled(dir, n -> acked.size() < ACKS_BEFORE_KILL, 3,
                words -> acked.put(Long.parseLong(words[0]), words[1] + " " + words[2]));
        assertEquals(ACKS_BEFORE_KILL, acked.size(), "the child acknowledged entries before it was killed");

        try (AuditLog log = Trails.open(dir, 64 * 1024)) {
            AuditVerification v = log.verify();
            assertTrue(v.intact(), "a kill is not damage: " + v.problems());
            List<AuditEntry> all = log.query(AuditQuery.newest(0));
            Map<Long, AuditEntry> bySeq = new HashMap<>();
            all.forEach(e -> bySeq.put(e.sequence(), e));
            for (Map.Entry<Long, String> a : acked.entrySet()) {
                AuditEntry e = bySeq.get(a.getKey());
                assertTrue(e != null, "acknowledged entry " + a.getKey() + " is in the trail");
                assertEquals(a.getValue(), e.event().thing() + " " + e.event().value(), "entry " + a.getKey());
            }
            // and the trail goes on after the last entry on disk
            long last = all.get(all.size() - 1).sequence();
            assertEquals(last + 1, Trails.appendWrites(log, 1).get(0).sequence());
            assertTrue(log.verify().intact());
        }
    }

    @Test
    void everyEntryOnRecordInTheJournalSurvivesSigkillOnce() throws Exception {
        Set<String> onRecord = new HashSet<>();
        writer.runUntilKilled(dir, n -> onRecord.size() < ACKS_BEFORE_KILL, 3,
                words -> onRecord.add(words[1] + " " + words[2]), "journal");
        try (AuditLog log = Trails.open(dir, 64 * 1024)) {
            AuditVerification v = log.verify();
            assertTrue(v.intact(), "a kill is not damage: " + v.problems());
            Map<String, Integer> times = new HashMap<>();
            for (AuditEntry e : log.query(AuditQuery.newest(0))) {
                times.merge(e.event().thing() + " " + e.event().value(), 1, Integer::sum);
            }
            for (String r : onRecord) {
                assertEquals(1, times.getOrDefault(r, 0), "entry on record before the kill, in the trail once: " + r);
            }
            times.forEach((entry, n) -> assertEquals(1, n, "no entry chained twice: " + entry));
        }
    }
}
