package org.fogwerk.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An entry acknowledged to its caller survives kill -9 of the JVM, and the trail stays intact. */
class CrashTest {

    private static final int THREADS = 4;
    private static final int ACKS_BEFORE_KILL = 3000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), String.valueOf(THREADS));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        Map<Long, String> acked = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                assertEquals(3, parts.length, "child said: " + line);
                acked.put(Long.parseLong(parts[0]), parts[1] + " " + parts[2]);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
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
}
