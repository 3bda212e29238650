package org.fogwerk.support.glob;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starAndQuestionMarkMatchNamesAndNothingElseIsSpecial() {
        assertTrue(Glob.of("press*").matches("press01"));
        assertFalse(Glob.of("press*").matches("mill01"));
        assertTrue(Glob.of("sine??").matches("sine01"));
        assertFalse(Glob.of("sine??").matches("sine1"));
        assertTrue(Glob.of("a.b").matches("a.b"));
        assertFalse(Glob.of("a.b").matches("axb"));
        assertTrue(Glob.of("x(1)+").matches("x(1)+"));
        assertFalse(Glob.of("press*").matches(null));
    }

    @Test
    void commasSeparateTrimmedAlternatives() {
        Glob g = Glob.of(" press* , mill0? ");
        assertTrue(g.matches("press01"));
        assertTrue(g.matches("mill01"));
        assertFalse(g.matches("mill010"));
        assertFalse(g.matches(" press01"));
        assertTrue(Glob.of("a,,b").matches("b"));
        assertFalse(Glob.of("a,,b").matches(""));
    }

    @Test
    void nothingBlankOrStarMatchesEverything() {
        assertTrue(Glob.of(null).matchesAll());
        assertTrue(Glob.of("").matchesAll());
        assertTrue(Glob.of(" , ").matchesAll());
        assertTrue(Glob.of("*").matchesAll());
        assertTrue(Glob.of("press*, *").matchesAll());
        assertTrue(Glob.of(null).matches(null));
        assertFalse(Glob.of("*x").matchesAll());
        assertFalse(Glob.isGiven(" , "));
        assertFalse(Glob.isGiven(null));
        assertTrue(Glob.isGiven("*"));
    }

    @Test
    void oneKeepsCommasAndLineBreaksInNames() {
        assertTrue(Glob.one("CN=press*,O=plant").matches("CN=press01,O=plant"));
        assertFalse(Glob.one("CN=press*,O=plant").matches("O=plant"));
        assertTrue(Glob.one("op*").matches("oper\nator"));
        assertTrue(Glob.one(" ").matchesAll());
        assertTrue(Glob.one("*").matchesAll());
    }

    @Test
    void oneGlobServesSeveralThreads() throws Exception {
        Glob g = Glob.of("tag*");
        CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> g.matches("tag2") && !g.matches("x"));
        assertTrue(g.matches("tag1"));
        assertTrue(other.get());
        assertFalse(g.matches("other"));
    }
}
