package org.fogwerk.audit.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditVerification;
import org.fogwerk.testing.Gate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** What the README tells a plant's IT to do: cut the hash off the line and hash the rest. */
    private static String independentHash(String line) throws Exception {
        String content = line.replaceFirst(",\"hash\":\"[0-9a-f]{64}\"}$", "}");
        assertFalse(content.equals(line), "the line ends with its hash: " + line);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void entriesAreNumberedHashedAndChained() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            List<AuditEntry> acked = Trails.appendWrites(log, 3);
            assertEquals(List.of(1L, 2L, 3L), acked.stream().map(AuditEntry::sequence).toList());
            assertEquals(EntryLines.ZERO_HASH, acked.get(0).previousHash());
            assertEquals(acked.get(0).hash(), acked.get(1).previousHash());
            assertEquals(acked.get(1).hash(), acked.get(2).previousHash());
        }
        List<String> lines = Trails.lines(Trails.file(dir, 1));
        assertEquals(3, lines.size());
        String previous = EntryLines.ZERO_HASH;
        for (int i = 0; i < 3; i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            assertEquals(i + 1, n.get("sequence").asLong());
            assertEquals("write", n.get("kind").asText());
            assertEquals("shell", n.get("source").asText());
            assertEquals("admin", n.get("identity").asText());
            assertEquals("press01", n.get("thing").asText());
            assertEquals("opcua-press01/speed", n.get("target").asText());
            assertEquals(String.valueOf(i + 1), n.get("value").asText());
            assertEquals("accepted", n.get("outcome").asText());
            Instant.parse(n.get("time").asText());
            assertEquals(previous, n.get("previousHash").asText());
            assertEquals(independentHash(lines.get(i)), n.get("hash").asText());
            previous = n.get("hash").asText();
        }
        try (AuditLog log = Trails.open(dir)) {
            assertEquals(new AuditVerification(3, true, 0, List.of()), log.verify());
            AuditEntry fourth = Trails.appendWrites(log, 1).get(0);
            assertEquals(4, fourth.sequence(), "a re-opened trail goes on where it ended");
            assertEquals(previous, fourth.previousHash());
            assertFalse(Files.exists(Trails.file(dir, 2)), "an intact file is continued, not replaced");
        }
    }

    @Test
    void rotationKeepsTheChainAcrossFiles() throws Exception {
        try (AuditLog log = Trails.open(dir, 2000)) {
            Trails.appendWrites(log, 60);
            AuditVerification v = log.verify();
            assertTrue(v.intact(), v.problems().toString());
            assertEquals(60, v.entries());
        }
        List<AuditFiles.Numbered> files = AuditFiles.list(dir);
        assertTrue(files.size() >= 3, "rotated into several files: " + files);
        for (int i = 0; i < files.size(); i++) {
            assertTrue(Files.size(files.get(i).path()) <= 2000, files.get(i) + " stays under the rotation size");
            if (i > 0) {
                List<String> before = Trails.lines(files.get(i - 1).path());
                JsonNode lastOfPrevious = JSON.readTree(before.get(before.size() - 1));
                JsonNode first = JSON.readTree(Trails.lines(files.get(i).path()).get(0));
                assertEquals(lastOfPrevious.get("hash").asText(), first.get("previousHash").asText());
                assertEquals(lastOfPrevious.get("sequence").asLong() + 1, first.get("sequence").asLong());
            }
        }
        try (AuditLog log = Trails.open(dir, 2000)) {
            assertEquals(61, Trails.appendWrites(log, 1).get(0).sequence());
            assertTrue(log.verify().intact());
            assertEquals(61, log.query(AuditQuery.newest(0)).size());
        }
    }

    @Test
    void keepFilesDeletesTheOldestAndTheRestStillVerifies() throws Exception {
        try (AuditLog log = new AuditLog(Trails.settings(dir, 2000, 2, 100))) {
            Trails.appendWrites(log, 60);
            assertEquals(2, AuditFiles.list(dir).size());
            AuditVerification v = log.verify();
            assertTrue(v.intact(), v.problems().toString());
            assertTrue(v.entries() < 60);
        }
    }

    /** Ten entries in the trail's first file, closed; returns the file. */
    private Path tenEntries() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            Trails.appendWrites(log, 10);
        }
        return Trails.file(dir, 1);
    }

    private void tenEntriesThen(java.util.function.UnaryOperator<List<String>> edit) throws Exception {
        Path f = tenEntries();
        Trails.writeLines(f, edit.apply(Trails.lines(f)));
    }

    /** Ten entries, then the file's last 40 bytes cut off (the last entry's end); returns what is left. */
    private byte[] tenEntriesCutShort() throws Exception {
        Path f = tenEntries();
        byte[] bytes = Files.readAllBytes(f);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 40);
        Files.write(f, cut);
        return cut;
    }

    private AuditVerification verify() {
        try (AuditLog log = Trails.open(dir)) {
            return log.verify();
        }
    }

    @Test
    void verifyNamesAnEditedEntry() throws Exception {
        tenEntriesThen(lines -> {
            lines.set(4, lines.get(4).replace("\"value\":\"5\"", "\"value\":\"9999\""));
            return lines;
        });
        AuditVerification v = verify();
        assertFalse(v.intact());
        assertEquals(5, v.firstBreak());
        assertEquals(10 + 1, v.entries(), "and the note the trail wrote about the damage at start");
        assertEquals(1, v.problems().size(), v.problems().toString());
        assertTrue(v.problems().get(0).startsWith("audit-000001.log line 5, sequence 5: its hash does not match"),
                v.problems().get(0));
    }

    @Test
    void verifyCatchesAnEditWhoseHashWasRecomputed() throws Exception {
        tenEntriesThen(lines -> {
            String edited = lines.get(4).replace("\"value\":\"5\"", "\"value\":\"9999\"");
            try {
                String hash = independentHash(edited);
                lines.set(4, edited.replaceFirst("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + hash + "\""));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return lines;
        });
        AuditVerification v = verify();
        assertFalse(v.intact());
        assertEquals(6, v.firstBreak(), "the next entry no longer chains: " + v.problems());
        assertTrue(v.problems().get(0).contains("line 6, sequence 6: its previous hash is not the hash of sequence 5"),
                v.problems().get(0));
    }

    @Test
    void verifyNamesARemovedEntry() throws Exception {
        tenEntriesThen(lines -> {
            lines.remove(4);
            return lines;
        });
        AuditVerification v = verify();
        assertFalse(v.intact());
        assertEquals(6, v.firstBreak());
        assertEquals(9 + 1, v.entries(), "and the note the trail wrote about the damage at start");
        assertTrue(v.problems().get(0).contains("line 5, sequence 6: sequence 5 is missing"), v.problems().get(0));
        assertEquals(1, v.problems().size(), v.problems().toString());
    }

    @Test
    void verifyNamesReorderedEntries() throws Exception {
        tenEntriesThen(lines -> {
            String five = lines.get(4);
            lines.set(4, lines.get(5));
            lines.set(5, five);
            return lines;
        });
        AuditVerification v = verify();
        assertFalse(v.intact());
        assertEquals(6, v.firstBreak());
        assertTrue(v.problems().get(0).contains("line 5, sequence 6"), v.problems().get(0));
        assertTrue(v.problems().get(1).contains("line 6, sequence 5: sequence 5 after 6 (entries reordered"),
                v.problems().get(1));
    }

    @Test
    void verifyNamesATruncatedFile() throws Exception {
        tenEntriesCutShort();
        AuditVerification v = verify();
        assertFalse(v.intact());
        assertEquals(10, v.firstBreak());
        assertEquals(9 + 1, v.entries(), "and the note the trail wrote about the damage at start");
        assertEquals("audit-000001.log line 10 (sequence 10 expected): incomplete entry, cut off without its end of line",
                v.problems().get(0));
    }

    @Test
    void verifyNamesALineThatIsNotAnEntry() throws Exception {
        tenEntriesThen(lines -> {
            lines.set(2, "rubbish");
            return lines;
        });
        AuditVerification v = verify();
        assertEquals(3, v.firstBreak());
        assertTrue(v.problems().get(0).startsWith("audit-000001.log line 3 (sequence 3 expected): "),
                v.problems().get(0));
        assertTrue(v.problems().get(1).contains("line 4, sequence 4: sequence 3 is missing; its previous hash is not "
                + "the hash of sequence 2"),
                "the entry after it cannot be linked either: " + v.problems());
    }

    @Test
    void aFileReplacedWhileTheNodeWritesLosesNoLaterEntryAndTheEditShows() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            Trails.appendWrites(log, 3);
            // what sed -i, an editor or a copy does: another file under the name, here with an entry edited
            Path f = Trails.file(dir, 1);
            List<String> lines = Trails.lines(f);
            lines.set(1, lines.get(1).replace("\"value\":\"2\"", "\"value\":\"7\""));
            Path other = dir.resolve("edited.tmp");
            Trails.writeLines(other, lines);
            Files.move(other, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            List<AuditEntry> later = Trails.appendWrites(log, 2);
            assertEquals(List.of(5L, 6L), later.stream().map(AuditEntry::sequence).toList(),
                    "a note first, then the entries");
            List<String> second = Trails.lines(Trails.file(dir, 2));
            assertEquals(3, second.size(), "the later entries are in a file of the trail, not in the replaced one");
            JsonNode note = JSON.readTree(second.get(0));
            assertEquals("damaged", note.get("outcome").asText());
            assertEquals("audit-000001.log was replaced by another file while the node wrote to it; continued in"
                    + " the next file", note.get("detail").asText());
            assertEquals(1, log.query(new AuditQuery(null, null, null, null, "audit", 10)).size());
            AuditVerification v = log.verify();
            assertFalse(v.intact(), "the edit shows: " + v);
        }
    }

    @Test
    void aFileCutWhileTheNodeWritesGluesNoLaterEntryToTheCutLine() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            Trails.appendWrites(log, 3);
            Path f = Trails.file(dir, 1);
            long full = Files.size(f);
            // truncate -s in the middle of the last line: the same file, shorter
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(full - 20);
            }
            List<AuditEntry> later = Trails.appendWrites(log, 2);
            assertEquals(List.of(5L, 6L), later.stream().map(AuditEntry::sequence).toList());
            assertEquals(full - 20, Files.size(f), "nothing more written to the cut file");
            JsonNode note = JSON.readTree(Trails.lines(Trails.file(dir, 2)).get(0));
            assertEquals("audit-000001.log was cut from " + full + " to " + (full - 20) + " bytes while the node"
                    + " wrote to it; continued in the next file", note.get("detail").asText());
            assertEquals(2, log.query(new AuditQuery(null, null, null, null, "write", 10)).stream()
                    .filter(e -> e.sequence() > 4).count(), "the later entries are readable");
        }
    }

    @Test
    void aDamagedFileAtStartIsLeftAsItIsAndTheTrailGoesOnInANewFile() throws Exception {
        byte[] cut = tenEntriesCutShort();
        Path f = Trails.file(dir, 1);
        String ninthHash = JSON.readTree(Trails.lines(f).get(8)).get("hash").asText();

        try (AuditLog log = Trails.open(dir)) {
            AuditEntry next = Trails.appendWrites(log, 1).get(0);
            assertArrayEquals(cut, Files.readAllBytes(f), "the damaged file is evidence: left untouched");
            List<String> second = Trails.lines(Trails.file(dir, 2));
            JsonNode note = JSON.readTree(second.get(0));
            assertEquals("audit", note.get("kind").asText());
            assertEquals("damaged", note.get("outcome").asText());
            assertEquals("audit-000001.log", note.get("target").asText());
            assertTrue(note.get("detail").asText().startsWith("audit-000001.log line 10: incomplete last entry"),
                    note.get("detail").asText());
            assertEquals(10, note.get("sequence").asLong(), "chained on from the last intact entry");
            assertEquals(ninthHash, note.get("previousHash").asText());
            assertEquals(11, next.sequence());

            AuditVerification v = log.verify();
            assertFalse(v.intact());
            assertEquals(10, v.firstBreak());
            assertEquals(1, v.problems().size(), "only the damage, the new file chains on: " + v.problems());
            assertTrue(v.problems().get(0).startsWith("audit-000001.log line 10"), v.problems().get(0));
        }
    }

    @Test
    void anEditedNewestFileAtStartAlsoMovesOnToANewFile() throws Exception {
        tenEntriesThen(lines -> {
            lines.set(6, lines.get(6).replace("\"identity\":\"admin\"", "\"identity\":\"someone\""));
            return lines;
        });
        try (AuditLog log = Trails.open(dir)) {
            AuditEntry next = Trails.appendWrites(log, 1).get(0);
            assertEquals(12, next.sequence(), "after the damage note (11), chained on from entry 10");
            assertTrue(Files.exists(Trails.file(dir, 2)));
            AuditVerification v = log.verify();
            assertEquals(7, v.firstBreak());
            assertEquals(1, v.problems().size(), v.problems().toString());
        }
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual, String message) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, message);
    }

    /** Appends one entry on another thread and holds it just before the force, until {@code force} opens. */
    private static CompletableFuture<AuditEntry> holdAtForce(AuditLog log, Gate force) throws Exception {
        log.beforeForce = force;
        CompletableFuture<AuditEntry> held = CompletableFuture.supplyAsync(() -> log
                .append(Trails.write("press01", "speed", 0)).toCompletableFuture().join());
        assertTrue(force.reached(10));
        return held;
    }

    @Test
    void forcingEachEntryAcknowledgesOnlyAfterTheGroupIsOnDisk() throws Exception {
        try (AuditLog log = Trails.forcingEach(dir)) {
            Gate force = Gate.holdingFirst(10);
            CompletableFuture<AuditEntry> first = holdAtForce(log, force);
            int forcesBefore = log.forces.get();
            List<CompletableFuture<AuditEntry>> waiting = new ArrayList<>();
            ExecutorService writers = Executors.newFixedThreadPool(8);
            try {
                for (int i = 2; i <= 9; i++) {
                    int v = i;
                    waiting.add(CompletableFuture.supplyAsync(() -> log.append(Trails.write("press01", "speed", v))
                            .toCompletableFuture().join(), writers));
                }
                // each of the 8 threads wrote its entry (the file has them) and waits for the held force
                await().atMost(Duration.ofSeconds(10)).until(() -> log.query(AuditQuery.newest(0)).size() == 9);
                assertFalse(first.isDone(), "written but not yet forced: not acknowledged");
                assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));
                force.open();
                assertEquals(1, first.get(10, TimeUnit.SECONDS).sequence());
                for (CompletableFuture<AuditEntry> f : waiting) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                writers.shutdownNow();
            }
            // one force serves every entry written before it began: the 8 entries written while the
            // first was being forced need one force more between them, not one each
            int forced = log.forces.get() - forcesBefore;
            assertTrue(forced <= 2, "9 entries took " + forced + " forces");
        }
    }

    @Test
    void theShippedSettingsAcknowledgeOnceWrittenAndForceInTheBackground() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            Gate force = Gate.holdingFirst(10);
            log.beforeForce = force;
            List<AuditEntry> acked = Trails.appendWrites(log, 10);
            assertEquals(10, acked.size(), "acknowledged without waiting for the disk");
            assertEquals(10, Trails.lines(Trails.file(dir, 1)).size(), "in the file before any force");
            assertTrue(force.reached(10), "the background force comes within the interval");
            force.open();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.forces.get() >= 1);
        }
    }

    @Test
    void appendsAfterCloseFailAndAnAppendThatCannotGetToTheFileInTimeFails() throws Exception {
        AuditLog log = Trails.open(dir);
        log.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> log.append(Trails.write("t", "x", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals("the audit trail is closed", e.getCause().getMessage());

        try (AuditLog slow = new AuditLog(new AuditLog.Settings(dir.resolve("slow"), 1 << 20, 0, 100, 200))) {
            Gate write = Gate.holdingFirst(10);
            slow.beforeWrite = write;
            CompletableFuture<AuditEntry> held = CompletableFuture.supplyAsync(() -> slow
                    .append(Trails.write("t", "x", 1)).toCompletableFuture().join());
            assertTrue(write.reached(10));
            ExecutionException late = assertThrows(ExecutionException.class, () -> slow
                    .append(Trails.write("t", "x", 2)).toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(late.getCause().getMessage().contains("did not take the entry within 200 ms"),
                    late.getCause().getMessage());
            write.open();
            assertEquals(1, held.get(10, TimeUnit.SECONDS).sequence());
            assertEquals(2, slow.append(Trails.write("t", "x", 3)).toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .sequence(), "the refused entry took no number");
        }
    }

    private static AuditEvent outcome(String value) {
        return new AuditEvent(AuditEvent.KIND_WRITE, "shell", "admin", "press01", "opcua-press01/speed", value,
                "done", "");
    }

    @Test
    void aRecordedEntryGoesInWithTheNextEntryInItsPlace() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            assertEquals(1, log.append(Trails.write("press01", "speed", 1)).toCompletableFuture().get(5,
                    TimeUnit.SECONDS).sequence());
            log.record(outcome("1"));
            assertEquals(3, log.append(Trails.write("press01", "speed", 2)).toCompletableFuture().get(5,
                    TimeUnit.SECONDS).sequence(), "the recorded entry took its number first");
            List<AuditEntry> all = log.query(AuditQuery.newest(0));
            assertEquals(List.of("accepted", "done", "accepted"), all.stream().map(e -> e.event().outcome()).toList());
            assertTrue(log.verify().intact());
        }
    }

    @Test
    void flushWritesRecordedEntriesAndOneTheTrailCannotWriteWaitsInTheJournal() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            log.append(Trails.write("press01", "speed", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            log.record(outcome("1"));
            log.flush();
            assertEquals(2, Trails.lines(Trails.file(dir, 1)).size(), "written by the flush, not left for later");
            assertEquals(0, log.unwritten());

            log.beforeWrite = () -> {
                throw new IllegalStateException("no space left on device");
            };
            log.record(outcome("2"));
            log.flush();
            assertEquals(0, log.unwritten(), "on record in the journal, not lost");

            log.beforeWrite = () -> { };
            assertEquals(4, log.append(Trails.write("press01", "speed", 3)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).sequence(), "the kept outcome went in first once the trail could write");
            assertEquals(List.of("1", "1", "2", "3"), log.query(AuditQuery.newest(0)).stream()
                    .map(e -> e.event().value()).toList());
            assertTrue(log.verify().intact());
            assertEquals(0, log.unwritten());
        }
    }

    @Test
    void aRecordedEntryThatCannotBeWrittenIsCountedWhereEveryEntryIsForced() throws Exception {
        try (AuditLog log = Trails.forcingEach(dir)) {
            log.append(Trails.write("press01", "speed", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            log.beforeWrite = () -> {
                throw new IllegalStateException("no space left on device");
            };
            log.record(outcome("1"));
            assertEquals(1, log.unwritten(), "the outcome that could not be written is counted");

            log.beforeWrite = () -> { };
            assertEquals(2, log.append(Trails.write("press01", "speed", 2)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).sequence(), "the trail goes on after the failure");
            assertTrue(log.verify().intact());
            assertEquals(1, log.unwritten());
        }
    }

    @Test
    void theJournalsEntriesAreChainedAtStartExceptThoseTheTrailHoldsAlready() throws Exception {
        List<AuditEntry> chained;
        // a clock that stands still: two writes of 1 alike to the nanosecond are still two entries
        try (AuditLog log = new AuditLog(Trails.settings(dir, 16L * 1024 * 1024, 0, 100),
                java.time.Clock.fixed(Instant.parse("2026-12-06T10:00:00.123456Z"), java.time.ZoneOffset.UTC))) {
            log.journal(Trails.write("press01", "speed", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            log.journal(Trails.write("press01", "speed", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            log.journal(Trails.write("press01", "speed", 2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            chained = log.query(AuditQuery.newest(0));
            assertEquals(List.of("1", "1", "2"), chained.stream().map(e -> e.event().value()).toList(),
                    "a reader has the trail chain what the journal holds");
        }
        // as if the node was killed after chaining them, before the journal let go of them, and after 3 went in
        try (Journal j = Journal.open(dir, AuditLog.JOURNAL_RING)) {
            j.recover();
            j.clear();
            for (AuditEntry e : chained) {
                assertTrue(j.put(e.time(), e.event()));
            }
            assertTrue(j.put(java.time.Instant.now(), Trails.write("press01", "speed", 3)));
        }
        try (AuditLog log = Trails.open(dir)) {
            List<AuditEntry> all = log.query(AuditQuery.newest(0));
            assertEquals(List.of("1", "1", "2", "3"), all.stream().map(e -> e.event().value()).toList(),
                    "3 chained at start, 1, 1 and 2 not twice");
            assertEquals(4, all.get(3).sequence());
            assertTrue(log.verify().intact());
        }
    }

    @Test
    void aDiskThatKeepsFailingGetsNoFilePerRetryAndTheJournalKeepsTheEntry() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            Trails.appendWrites(log, 1);
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            log.beforeWrite = () -> {
                failures.incrementAndGet();
                throw new IllegalStateException("no space left on device");
            };
            log.journal(Trails.write("press01", "speed", 2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() >= 4);
            assertTrue(AuditFiles.list(dir).size() <= 2, "one file begun for all the retries: " + AuditFiles.list(dir));
            assertEquals(0, log.unwritten(), "on record in the journal, not lost");

            log.beforeWrite = () -> { };
            assertEquals(List.of("1", "2"), log.query(AuditQuery.newest(0)).stream().map(e -> e.event().value())
                    .toList());
            assertTrue(log.verify().intact());
        }
    }

    @Test
    void entriesWrittenBeforeARotationThatFailsCountAndTheChainGoesOnAfterThem() throws Exception {
        try (AuditLog log = Trails.open(dir, 1000)) { // two entries a file
            Trails.appendWrites(log, 1);
            Path blocked = Trails.file(dir, 2);
            Files.createDirectories(blocked); // the next file cannot be begun
            for (int i = 2; i <= 8; i++) {
                log.journal(Trails.write("press01", "speed", i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            log.flush(); // 2 goes into the first file, then the rotation fails
            assertEquals(2, Trails.lines(Trails.file(dir, 1)).size());
            Files.delete(blocked);

            List<AuditEntry> all = log.query(AuditQuery.newest(0));
            assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), all.stream().map(e -> e.event().value())
                    .toList(), "each once: what was written before the failure is not written again");
            assertEquals(8, all.get(7).sequence());
            AuditVerification v = log.verify();
            assertTrue(v.intact(), "the chain goes on from the last entry written: " + v.problems());
        }
    }

    @Test
    void aTrailThatForcesEveryEntryStillChainsWhatItsJournalKept() throws Exception {
        try (Journal j = Journal.open(dir, AuditLog.JOURNAL_RING)) {
            j.recover();
            j.clear();
            assertTrue(j.put(Instant.now(), Trails.write("press01", "speed", 7)));
        }
        try (AuditLog log = Trails.forcingEach(dir)) {
            assertEquals(List.of("7"), log.query(AuditQuery.newest(0)).stream().map(e -> e.event().value())
                    .toList(), "chained at start, though sync.interval.ms = 0 uses no journal");
            assertEquals(2, Trails.appendWrites(log, 1).get(0).sequence());
        }
        try (Journal j = Journal.open(dir, AuditLog.JOURNAL_RING)) {
            assertEquals(List.of(), j.recover().entries(), "and emptied");
        }
    }

    @Test
    void aRecordedEntryIsWrittenWithinTheSyncIntervalOrAtClose() throws Exception {
        Path file = Trails.file(dir, 1);
        AuditLog log = Trails.open(dir);
        try {
            log.record(outcome("1"));
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && Trails.lines(file).size() == 1);
            log.record(outcome("2"));
        } finally {
            log.close();
        }
        assertEquals(2, Trails.lines(file).size(), "written before the file was closed");
        try (AuditLog again = Trails.open(dir)) {
            assertTrue(again.verify().intact());
            assertEquals(2, again.query(AuditQuery.newest(0)).size());
        }
    }

    @Test
    void queryFiltersByTimeThingSourceIdentityKindAndLimit() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            log.append(Trails.write("press01", "speed", 1));
            log.append(new AuditEvent(AuditEvent.KIND_WRITE, "mqtt-command", "client-7 fogwerk/cmd/press02",
                    "press02", "modbus-line2/setpoint", "12", "refused", "no write permission"));
            log.append(new AuditEvent(AuditEvent.KIND_DESIRED, "aws-cloud", "token-1", "press01", "speed", "1200",
                    "accepted", ""));
            AuditEntry last = log.append(new AuditEvent(AuditEvent.KIND_CONFIG, "config", "", "",
                    "org.fogwerk.audit", "", "changed", "changed: keep.files")).toCompletableFuture().get(10,
                            TimeUnit.SECONDS);
            assertEquals(4, log.query(AuditQuery.newest(0)).size());
            assertEquals(List.of(1L, 3L), seqs(log.query(new AuditQuery(null, "press01", null, null, null, 0))));
            assertEquals(List.of(1L, 2L, 3L), seqs(log.query(new AuditQuery(null, "press*", null, null, null, 0))));
            assertEquals(List.of(2L), seqs(log.query(new AuditQuery(null, null, "mqtt-*", null, null, 0))));
            assertEquals(List.of(2L), seqs(log.query(new AuditQuery(null, null, null, "client-? *", null, 0))));
            assertEquals(List.of(3L), seqs(log.query(new AuditQuery(null, null, null, null, "desired", 0))));
            assertEquals(List.of(3L, 4L), seqs(log.query(AuditQuery.newest(2))));
            assertEquals(List.of(4L), seqs(log.query(new AuditQuery(last.time(), null, null, null, null, 0))));
            assertEquals(List.of(), seqs(log.query(new AuditQuery(last.time().plusSeconds(1), null, null, null,
                    null, 0))));
            assertEquals(List.of(), seqs(log.query(new AuditQuery(null, "press0.", null, null, null, 0))),
                    "a dot is a dot, not a regular expression");
        }
    }

    private static List<Long> seqs(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::sequence).toList();
    }

    /** The figure the write gateway cares about: how long one append waits for its entry to be on disk. */
    @Test
    void appendLatencyAndThroughput() throws Exception {
        try (AuditLog log = Trails.open(dir)) {
            Trails.appendWrites(log, 200); // warm-up
            int n = 2000;
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                log.append(Trails.write("press01", "speed", i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                nanos[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(nanos);
            int total = 50_000;
            long t0 = System.nanoTime();
            List<CompletableFuture<AuditEntry>> all = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                all.add(log.append(Trails.write("press01", "speed", i)).toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            double perSecond = total / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("audit append, one at a time, waiting for disk: p50 %.3f ms, p99 %.3f ms; "
                    + "pipelined: %.0f appends/s%n", nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6, perSecond);
            assertTrue(log.verify().intact());
        }
    }
}
