package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(Glob.of(null).matches("anything"));
        assertTrue(Glob.of("*").matchesAll());
    }
}
