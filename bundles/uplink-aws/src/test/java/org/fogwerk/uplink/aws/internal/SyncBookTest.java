package org.fogwerk.uplink.aws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

class SyncBookTest {

    @TempDir
    Path dir;

    private static ObjectNode base(int speed) {
        ObjectNode state = ShadowMerge.empty();
        ((ObjectNode) state.get("reported")).put("speed", speed);
        return state;
    }

    @Test
    void everyEntrySurvivesACrashRightAfterItWasWritten() throws Exception {
        SyncBook book = new SyncBook(dir);
        for (int i = 1; i <= 50; i++) {
            book.put(SyncBook.key("press01", ""), new SyncBook.Entry(base(i), i, 100 + i));
        }
        book.put(SyncBook.key("press01", "recipe"), new SyncBook.Entry(base(7), 3, 4));
        book.remove(SyncBook.key("press01", "recipe"));
        book.crash();

        try (SyncBook reopened = new SyncBook(dir)) {
            SyncBook.Entry e = reopened.get(SyncBook.key("press01", ""));
            assertEquals(base(50), e.base());
            assertEquals(50, e.localVersion());
            assertEquals(150, e.cloudVersion());
            assertNull(reopened.get(SyncBook.key("press01", "recipe")));
        }
    }

    @Test
    void aDamagedBookIsSetAsideAndTheSyncStartsFromAnEmptyBase() throws Exception {
        try (SyncBook book = new SyncBook(dir)) {
            book.put(SyncBook.key("press01", ""), new SyncBook.Entry(base(1), 1, 1));
        }
        byte[] garbage = new byte[8192];
        new Random(1).nextBytes(garbage);
        Files.write(dir.resolve(SyncBook.FILE_NAME), garbage);
        try (SyncBook book = new SyncBook(dir)) {
            assertNull(book.get(SyncBook.key("press01", "")));
            book.put(SyncBook.key("press01", ""), new SyncBook.Entry(base(2), 2, 2));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(SyncBook.FILE_NAME + ".damaged-")));
        }
    }
}
