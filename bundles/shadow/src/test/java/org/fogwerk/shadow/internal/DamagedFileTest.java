package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged shadow.mv.db: the store still starts, keeps what can be read, and works. */
class DamagedFileTest {

    private static final int THINGS = 300;

    @TempDir
    Path dir;

    private Path fill(int rounds) throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < THINGS; i++) {
                store.update("m" + i, "", ShadowUpdate.reported(Map.of("n", round, "pad", "p".repeat(100))));
            }
        }
        Path file = store.file();
        store.close();
        return file;
    }

    private int readable(ShadowStoreImpl store) {
        int found = 0;
        for (int i = 0; i < THINGS; i++) {
            try {
                store.get("m" + i, "");
                found++;
            } catch (ShadowException e) {
                assertEquals(404, e.code());
            }
        }
        return found;
    }

    private void assertWorks(ShadowStoreImpl store) throws Exception {
        store.update("fresh", "", ShadowUpdate.reported(Map.of("ok", true)));
        assertEquals(true, store.get("fresh", "").reported().get("ok"));
    }

    private long damagedCopies() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("shadow.mv.db.damaged-")).count();
        }
    }

    @Test
    void aFileCutInHalfRollsBackToTheLastWholeVersionAndSaysSo() throws Exception {
        Path file = fill(1);
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size / 2);
        }
        ShadowStoreImpl store = Stores.open(dir);
        try {
            int found = readable(store);
            LoggerHolder.LOG.info("cut in half: {} of {} shadows kept", found, THINGS);
            assertTrue(found > 0 && found < THINGS, "the shadows of the older version are kept: " + found);
            for (int i = 0; i < found; i++) {
                assertEquals(1L, store.get("m" + i, "").reported().get("n"), "a whole document");
            }
            assertEquals(1, damagedCopies(), "the loss is reported and the damaged file kept");
            assertWorks(store);
        } finally {
            store.close();
        }
        ShadowStoreImpl again = Stores.open(dir);
        try {
            assertTrue(again.get("fresh", "").version() >= 1, "the recovered store is a sound file again");
            assertEquals(1, damagedCopies(), "no new alarm after the restart");
        } finally {
            again.close();
        }
    }

    /**
     * Garbage written at many places of the file in turn: wherever it lands, the store starts and
     * works, every shadow it still has is a whole document, and any loss is reported (a copy of
     * the damaged file is kept and an ERROR is logged), never silent.
     */
    @Test
    void bytesOverwrittenAnywhereNeverLoseDataSilently() throws Exception {
        Path file = fill(3);
        Path pristine = dir.resolve("pristine");
        Path pristineMarker = dir.resolve("pristine.version");
        Files.copy(file, pristine);
        Files.copy(dir.resolve(StoreFile.MARKER_NAME), pristineMarker);
        long size = Files.size(pristine);
        byte[] garbage = new byte[1000];
        new Random(42).nextBytes(garbage);
        int positions = 10;
        int damagedRuns = 0;
        int partlyRecovered = 0;
        for (int k = 0; k < positions; k++) {
            long pos = 8192 + (size - 8192 - garbage.length) * k / (positions - 1);
            clearDamagedCopies();
            Files.copy(pristine, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(pristineMarker, dir.resolve(StoreFile.MARKER_NAME),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(pos);
                raf.write(garbage);
            }
            ShadowStoreImpl store = Stores.open(dir);
            try {
                int complete = 0;
                int found = 0;
                for (int i = 0; i < THINGS; i++) {
                    try {
                        var d = store.get("m" + i, "");
                        found++;
                        assertEquals(d.version(), d.reported().get("n"), "a whole document");
                        if (d.version() == 3) {
                            complete++;
                        }
                    } catch (ShadowException e) {
                        assertEquals(404, e.code());
                    }
                }
                boolean reported = damagedCopies() > 0;
                if (complete < THINGS) {
                    assertTrue(reported, "garbage at " + pos + ": " + (THINGS - complete)
                            + " shadows lost or older, and nothing said so");
                }
                if (reported) {
                    damagedRuns++;
                    if (found > 0) {
                        partlyRecovered++;
                    }
                }
                LoggerHolder.LOG.info("garbage at {} of {}: {} shadows found, {} at their last version, reported: {}",
                        pos, size, found, complete, reported);
                assertWorks(store);
            } finally {
                store.close();
            }
        }
        LoggerHolder.LOG.info("{} of {} damaged files were noticed, {} of them with shadows recovered", damagedRuns,
                positions, partlyRecovered);
    }

    private void clearDamagedCopies() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("shadow.mv.db.damaged-")).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aFileOfGarbageIsMovedAsideAndTheStoreStartsEmpty() throws Exception {
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.write(dir.resolve(StoreFile.FILE_NAME), garbage);
        ShadowStoreImpl store = Stores.open(dir);
        try {
            assertEquals(0, readable(store));
            assertWorks(store);
            try (Stream<Path> files = Files.list(dir)) {
                LoggerHolder.LOG.info("files: {}", files.map(Path::getFileName).toList());
            }
            assertEquals(1, damagedCopies(), "the damaged file is kept for inspection");
        } finally {
            store.close();
        }
    }

    @Test
    void anEmptyFileIsMovedAsideToo() throws Exception {
        Files.write(dir.resolve(StoreFile.FILE_NAME), new byte[0]);
        ShadowStoreImpl store = Stores.open(dir);
        try {
            assertWorks(store);
        } finally {
            store.close();
        }
    }

    static final class LoggerHolder {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DamagedFileTest.class);
    }
}
