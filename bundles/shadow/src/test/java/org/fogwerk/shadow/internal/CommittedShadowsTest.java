package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Committed documents: stored bytes for every touched key, parsed trees only within the budget. */
class CommittedShadowsTest {

    private final CommittedShadows committed = new CommittedShadows(1000, 800);
    /** What the parser was asked to parse: a document without its tree is parsed again. */
    private final List<byte[]> parsed = new ArrayList<>();

    private static StoredShadow tree(long version) {
        return new StoredShadow(null, null, null, null, version, 0);
    }

    private void commit(String key, int storedBytes, long version) {
        committed.committed(Map.of(key, new CommittedShadows.Entry(new byte[storedBytes], tree(version))));
    }

    private long version(String key) throws Exception {
        return committed.get(key).document(b -> {
            parsed.add(b);
            return tree(-1);
        }).version();
    }

    @Test
    void theNewestDocumentsKeepTheirTreeWithinTheBudgetAndTheOthersAreParsedWhenRead() throws Exception {
        commit("a", 400, 1);
        commit("b", 400, 1);
        assertEquals(800, committed.treeBytes());
        assertEquals(1, version("a"));
        assertEquals(List.of(), parsed);

        // a third one is over the budget: the oldest tree goes, its bytes stay
        commit("c", 400, 1);
        assertEquals(800, committed.treeBytes());
        assertEquals(-1, version("a"));
        assertEquals(1, parsed.size());
        assertEquals(400, parsed.get(0).length);
        assertEquals(1, version("c"));

        // written again, b is the newest: the next one pushes c out, not b
        commit("b", 400, 2);
        commit("d", 400, 1);
        assertEquals(2, version("b"));
        assertEquals(-1, version("c"));

        // a large document is never kept parsed, and takes nothing from the budget
        commit("e", 801, 1);
        assertEquals(-1, version("e"));
        assertTrue(committed.touched("e"));
        assertEquals(800, committed.treeBytes());
    }

    @Test
    void aDeletedShadowIsAbsentAndGivesItsShareOfTheBudgetBack() throws Exception {
        commit("a", 600, 1);
        committed.committed(Map.of("a", CommittedShadows.DELETED));

        assertEquals(0, committed.treeBytes());
        assertTrue(committed.get("a").absent());
        assertNull(committed.get("a").document(b -> tree(-1)));
        List<String> present = new ArrayList<>();
        committed.forEachPresent(present::add);
        assertEquals(List.of(), present);
        assertTrue(committed.touched("a"));
    }

    @Test
    void aKeyMarkedBeforeItsFirstWriteKeepsWhatTheStoreHeld() throws Exception {
        byte[] stored = new byte[10];
        CommittedShadows.Entry marked = committed.mark("a", stored);
        assertSame(stored, marked.bytes());
        assertSame(marked, committed.mark("a", null), "a second mark changes nothing");
        assertTrue(committed.mark("b", null).absent());
        assertFalse(committed.touched("c"));
        assertNull(committed.get("c"));
    }
}
