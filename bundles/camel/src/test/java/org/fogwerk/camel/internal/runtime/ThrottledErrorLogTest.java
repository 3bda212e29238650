package org.fogwerk.camel.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThrottledErrorLogTest {

    @Test
    void aFewLinesPerWindowThenTheRestAreCountedAndReported() {
        ThrottledErrorLog log = new ThrottledErrorLog();
        long t = 1_000_000_000L;
        for (int i = 0; i < ThrottledErrorLog.LINES_PER_WINDOW; i++) {
            assertEquals(0, log.admit(t + i));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(-1, log.admit(t + 100 + i));
        }
        assertEquals(-1, log.admit(t + ThrottledErrorLog.WINDOW_NANOS - 1));
        assertEquals(1001, log.admit(t + ThrottledErrorLog.WINDOW_NANOS));
        assertEquals(0, log.admit(t + ThrottledErrorLog.WINDOW_NANOS + 1));
    }
}
