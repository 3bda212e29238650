package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
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

    /**
     * MVStore reuses the space of old chunks at once, so a file cut in half has no whole older
     * version left: the shadows come back from the snapshot written at close, each as it was last.
     */
    @Test
    void aFileCutInHalfTakesItsShadowsBackFromTheSnapshotAndSaysSo() throws Exception {
        Path file = fill(2);
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size / 2);
        }
        Stores.inStore(dir, store -> {
            assertEquals(THINGS, readable(store), "every shadow of the snapshot is kept");
            for (int i = 0; i < THINGS; i++) {
                assertEquals(2L, store.get("m" + i, "").reported().get("n"), "the last update of m" + i);
            }
            assertTrue(store.restoredAtStart() > 0, "counted: " + store.restoredAtStart());
            assertEquals(1, damagedCopies(), "the loss is reported and the damaged file kept");
            assertWorks(store);
        });
        Stores.inStore(dir, again -> {
            assertTrue(again.get("fresh", "").version() >= 1, "the recovered store is a sound file again");
            assertEquals(THINGS + 1, readable(again) + 1, "all shadows still there after a restart");
            assertEquals(0, again.restoredAtStart(), "nothing to restore after the restart");
            assertEquals(1, damagedCopies(), "no new alarm after the restart");
        });
    }

    /** A byte changed inside one stored shadow: caught by its checksum, the shadow comes back from the snapshot. */
    @Test
    void aByteChangedInsideAShadowIsCaughtAndTheShadowTakenBackFromTheSnapshot() throws Exception {
        Path file = fill(1);
        try (MVStore raw = new MVStore.Builder().fileName(file.toString()).open()) {
            MVMap<String, byte[]> shadows = raw.openMap(StoreFile.SHADOWS);
            byte[] b = shadows.get("m7/").clone();
            int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("\"n\":1") + 4;
            b[at] = '9';
            shadows.put("m7/", b);
            raw.commit();
        }
        Stores.inStore(dir, store -> {
            assertEquals(THINGS, readable(store));
            assertEquals(1L, store.get("m7", "").reported().get("n"), "as it was, not as the disk now has it");
            assertEquals(1, store.restoredAtStart());
            assertEquals(1, damagedCopies());
        });
    }

    /** A store written before shadows had checksums: its shadows read as they are, new ones get one. */
    @Test
    void shadowsStoredWithoutChecksumsAreStillRead() throws Exception {
        Files.createDirectories(dir);
        try (MVStore raw = new MVStore.Builder().fileName(dir.resolve(StoreFile.FILE_NAME).toString()).open()) {
            MVMap<String, byte[]> shadows = raw.openMap(StoreFile.SHADOWS);
            shadows.put("old/", ("{\"state\":{\"reported\":{\"n\":5}},\"metadata\":{\"reported\":{\"n\":"
                    + "{\"timestamp\":1}}},\"version\":3,\"timestamp\":1}").getBytes(StandardCharsets.UTF_8));
            raw.commit();
        }
        Stores.inStore(dir, store -> {
            assertEquals(5L, store.get("old", "").reported().get("n"));
            assertEquals(3, store.get("old", "").version());
            store.update("old", "", ShadowUpdate.reported(Map.of("n", 6)));
            assertEquals(0, damagedCopies());
        });
        Stores.inStore(dir, again -> {
            assertEquals(6L, again.get("old", "").reported().get("n"));
            assertEquals(4, again.get("old", "").version());
        });
    }

    /** A snapshot with a flipped byte loses the one record the byte is in, no other. */
    @Test
    void aDamagedSnapshotRecordIsSetAsideTheOthersComeBack() throws Exception {
        Path file = fill(1);
        Path snapshot = dir.resolve(ShadowSnapshot.FILE_NAME);
        try (RandomAccessFile raf = new RandomAccessFile(snapshot.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x20);
        }
        ShadowSnapshot.Contents contents = ShadowSnapshot.read(dir);
        assertEquals(1, contents.damaged(), "one record fails its checksum");
        assertEquals(THINGS - 1, contents.shadows().size());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8192); // only MVStore's file headers are left
        }
        Stores.inStore(dir, store -> {
            assertEquals(THINGS - 1, readable(store));
            assertEquals(THINGS - 1, store.restoredAtStart());
            assertWorks(store);
        });
    }

    /**
     * 33 things with desired and reported state, one of them updated often; the last 100 bytes of
     * the file cut off: every shadow and its desired state is kept, and no version goes backwards.
     */
    @Test
    void aCutTailKeepsEveryShadowAndVersionsNeverGoBackwards() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 33; i++) {
                store.update("t" + i, "", ShadowUpdate.desired(Map.of("sp", round)));
                store.update("t" + i, "", ShadowUpdate.reported(Map.of("n", round, "sp", round)));
            }
        }
        for (int k = 0; k < 90; k++) {
            store.update("t0", "", ShadowUpdate.reported(Map.of("n", 100 + k)));
        }
        long[] before = new long[33];
        for (int i = 0; i < 33; i++) {
            before[i] = store.get("t" + i, "").version();
        }
        Path file = store.file();
        store.close();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 100);
        }
        Stores.inStore(dir, again -> {
            for (int i = 0; i < 33; i++) {
                var d = again.get("t" + i, "");
                assertEquals(Map.of("sp", 3L), Map.copyOf(d.desired()), "t" + i + " keeps its desired state");
                assertTrue(d.version() >= before[i], "t" + i + ": version " + d.version() + " after " + before[i]);
            }
            long next = again.update("t0", "", ShadowUpdate.reported(Map.of("n", 0))).version();
            assertTrue(next > before[0], "the next update of t0 continues above " + before[0] + ": " + next);
            assertEquals(1, damagedCopies(), "the loss is reported and the damaged file kept");
        });
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
                        long n = ((Number) d.reported().get("n")).longValue();
                        // a document from before a loss may continue at a raised version, never a lower one
                        assertTrue(d.version() == n || d.version() > 3, "a whole document: version " + d.version()
                                + ", n " + n);
                        if (n == 3) {
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
        Stores.inStore(dir, store -> {
            assertEquals(0, readable(store));
            assertWorks(store);
            try (Stream<Path> files = Files.list(dir)) {
                LoggerHolder.LOG.info("files: {}", files.map(Path::getFileName).toList());
            }
            assertEquals(1, damagedCopies(), "the damaged file is kept for inspection");
        });
    }

    @Test
    void anEmptyFileIsMovedAsideToo() throws Exception {
        Files.write(dir.resolve(StoreFile.FILE_NAME), new byte[0]);
        Stores.inStore(dir, store -> {
            assertWorks(store);
        });
    }

    static final class LoggerHolder {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DamagedFileTest.class);
    }

    @Test
    void aFileInUseByAnotherStoreIsNotTakenForDamage() throws Exception {
        Stores.inStore(dir, first -> {
            first.update("kept", "", ShadowUpdate.reported(Map.of("n", 1)));
            org.junit.jupiter.api.Assertions.assertThrows(org.h2.mvstore.MVStoreException.class, () -> Stores.open(dir));
            assertEquals(0, damagedCopies(), "the file in use stays where it is");
            assertEquals(1L, first.get("kept", "").reported().get("n"));
        });
    }
}
