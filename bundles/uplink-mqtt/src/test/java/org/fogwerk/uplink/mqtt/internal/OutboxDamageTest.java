package org.fogwerk.uplink.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cut or overwritten outbox file: what is intact is kept, and a sequence number is never used twice. */
class OutboxDamageTest {

    @TempDir
    Path dir;

    private Path filled() throws Exception {
        return filled(500);
    }

    /** 2,000 messages in 20 commits, the first {@code delivered} delivered, closed cleanly. */
    private Path filled(int delivered) throws Exception {
        Path box = dir.resolve("box");
        try (Outbox outbox = new Outbox("d", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            for (int c = 0; c < 20; c++) {
                for (int i = 0; i < 100; i++) {
                    outbox.append(Outbox.record("t", ("m" + (c * 100 + i)).getBytes(StandardCharsets.UTF_8), 1));
                }
                outbox.commitFuture().get(5, TimeUnit.SECONDS);
            }
            for (long seq = 1; seq <= delivered; seq++) {
                outbox.delivered(seq);
            }
            assertEquals(2001, outbox.nextSeq());
        }
        return box;
    }

    @Test
    void aTruncatedOutboxKeepsItsIntactCommitsAndNeverReusesASequenceNumber() throws Exception {
        Path box = filled(0); // the last commit on disk holds the newest messages
        Path file = box.resolve("outbox.mv");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        try (Outbox outbox = new Outbox("d", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            assertTrue(outbox.depth() >= 1000 && outbox.depth() < 2000, "the cut commit is lost, the older ones kept: "
                    + outbox.depth());
            assertEquals(2001, outbox.nextSeq(), "sequence numbers already handed out are not reused");
        }
    }

    @Test
    void aZeroedHeaderIsSetAsideAndTheUplinkKeepsGoingWithoutRepeatingASequenceNumber() throws Exception {
        Path box = filled();
        Path file = box.resolve("outbox.mv");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(new byte[8192]); // both header blocks
        }
        long damagedSize = Files.size(file);
        try (Outbox outbox = new Outbox("d", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            assertTrue(outbox.nextSeq() >= 2001, "continues after what was handed out: " + outbox.nextSeq());
            outbox.append(Outbox.record("t", "after".getBytes(StandardCharsets.UTF_8), 1));
            outbox.commitFuture().get(5, TimeUnit.SECONDS);
            assertTrue(outbox.nextStored(0, Long.MAX_VALUE) >= 2001);
        }
        try (Stream<Path> files = Files.list(box)) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("outbox.mv.damaged-")).findFirst()
                    .orElseThrow(() -> new AssertionError("the damaged file is kept for inspection"));
            assertEquals(damagedSize, Files.size(aside));
        }
    }

    @Test
    void aZeroedFirstHeaderBlockLosesNothing() throws Exception {
        Path box = filled();
        try (RandomAccessFile f = new RandomAccessFile(box.resolve("outbox.mv").toFile(), "rw")) {
            f.write(new byte[4096]);
        }
        try (Outbox outbox = new Outbox("d", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            assertEquals(1500, outbox.depth(), "the second header copy still points at the newest commit");
            assertEquals(2001, outbox.nextSeq());
        }
    }

    @Test
    void afterACrashAndACutTheSequenceContinuesAboveEveryNumberHandedOut() throws Exception {
        Path box = dir.resolve("crash");
        Path image = dir.resolve("image");
        try (Outbox outbox = new Outbox("c", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            for (int c = 0; c < 10; c++) {
                for (int i = 0; i < 100; i++) {
                    outbox.append(Outbox.record("t", new byte[] {'{', '}'}, 1));
                }
                outbox.commitFuture().get(5, TimeUnit.SECONDS);
            }
            // what a kill -9 leaves: the files as they are while it runs
            Files.createDirectories(image);
            Files.copy(box.resolve("outbox.mv"), image.resolve("outbox.mv"));
            Files.copy(box.resolve("outbox.seq"), image.resolve("outbox.seq"));
        }
        try (RandomAccessFile f = new RandomAccessFile(image.resolve("outbox.mv").toFile(), "rw")) {
            f.setLength(f.length() - 100);
        }
        try (Outbox outbox = new Outbox("c", image, Long.MAX_VALUE, 0, false, 5, null, null)) {
            assertTrue(outbox.nextSeq() > 1000, "no number at or below 1000 again: " + outbox.nextSeq());
        }
    }

    @Test
    void aCleanRestartContinuesTheSequenceWithoutAJump() throws Exception {
        Path box = filled();
        try (Outbox outbox = new Outbox("d", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            assertEquals(2001, outbox.nextSeq());
            assertEquals(1500, outbox.depth());
        }
    }

    @Test
    void aFileLockedByAnotherInstanceIsNotTakenForDamage() throws Exception {
        Path box = dir.resolve("locked");
        try (Outbox first = new Outbox("l", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            first.append(Outbox.record("t", new byte[] {'{', '}'}, 1));
            first.commitFuture().get(5, TimeUnit.SECONDS);
            org.junit.jupiter.api.Assertions.assertThrows(org.h2.mvstore.MVStoreException.class,
                    () -> new Outbox("l", box, Long.MAX_VALUE, 0, false, 5, null, null));
            try (Stream<Path> files = Files.list(box)) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("damaged")));
            }
            assertEquals(1, first.depth());
        }
    }
}
