package org.fogwerk.uplink.aws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.fogwerk.testing.Damage;
import org.fogwerk.testing.DamageSuite;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shadow sync book damaged at random offsets ({@link Damage#seeds()}): it opens, an entry it
 * cannot read is an entry it does not have (the next full sync merges that shadow from an empty
 * base, which only adds), and it takes new entries.
 */
class SyncBookDamageTest extends DamageSuite {

    private static final int SHADOWS = 200;

    @TestFactory
    Stream<DynamicTest> syncBook() {
        return eachSeed("book", this::syncBook);
    }

    private static ObjectNode base(int i) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.putObject("desired").put("speed", i);
        state.putObject("reported").put("speed", i).put("pad", "p".repeat(80));
        return state;
    }

    private void syncBook(long seed, Path folder) throws Exception {
        try (SyncBook book = new SyncBook(folder)) {
            for (int i = 0; i < SHADOWS; i++) {
                book.put(SyncBook.key("m" + i, ""), new SyncBook.Entry(base(i), i + 1, i + 2));
            }
        }
        String damage = Damage.apply(folder.resolve(SyncBook.FILE_NAME), seed);
        int kept = 0;
        int unreadable = 0;
        try (SyncBook book = new SyncBook(folder)) {
            for (int i = 0; i < SHADOWS; i++) {
                SyncBook.Entry e = book.get(SyncBook.key("m" + i, ""));
                if (e == null) {
                    unreadable++;
                } else {
                    kept++;
                }
            }
            book.put(SyncBook.key("fresh", ""), new SyncBook.Entry(base(0), 1, 1));
            assertEquals(1, book.get(SyncBook.key("fresh", "")).localVersion(), damage + ": takes new entries");
        }
        LoggerFactory.getLogger(SyncBookDamageTest.class).info("Sync book seed {}: {}; {} of {} entries kept, {}"
                + " unreadable or set aside", seed, damage, kept, SHADOWS, unreadable);
        assertTrue(kept + unreadable == SHADOWS);
    }
}
