package org.fogwerk.support.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class QuietStartTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void aRefusedFirstAttemptIsQuietOnlyDuringTheGracePeriod() {
        QuietStart start = new QuietStart(Duration.ofSeconds(30), now::get);
        assertTrue(start.quiet());
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertTrue(start.quiet());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(start.quiet(), "still not up after the grace period: a real problem");
    }

    @Test
    void aConnectionThatWasUpIsNeverQuietAgain() {
        QuietStart start = new QuietStart(Duration.ofSeconds(30), now::get);
        start.connected();
        assertFalse(start.quiet());
    }
}
