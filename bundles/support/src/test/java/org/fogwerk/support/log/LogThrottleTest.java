package org.fogwerk.support.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A repeated line passes once per window and says afterwards how many were held back. */
class LogThrottleTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    @Test
    void oneLinePerWindowAndTheCountOfTheHeldOnesAfterwards() {
        LogThrottle throttle = new LogThrottle(1, Duration.ofSeconds(30), clock::get);
        assertEquals(0, throttle.admit());
        for (int i = 0; i < 7; i++) {
            clock.addAndGet(SECOND);
            assertEquals(-1, throttle.admit());
        }
        clock.addAndGet(23 * SECOND); // 30 s after the first line
        assertEquals(7, throttle.admit());
        clock.addAndGet(SECOND);
        assertEquals(-1, throttle.admit());
    }

    @Test
    void aFewLinesPerWindowPassAsTheyCome() {
        LogThrottle throttle = new LogThrottle(5, Duration.ofSeconds(10), clock::get);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, throttle.admit());
        }
        assertEquals(-1, throttle.admit());
        assertEquals(-1, throttle.admit());
        clock.addAndGet(10 * SECOND);
        assertEquals(2, throttle.admit());
        assertEquals(0, throttle.admit());
    }

    @Test
    void aQuietWindowHoldsNothingBack() {
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(30));
        assertEquals(0, throttle.admit(0));
        assertEquals(0, throttle.admit(31 * SECOND));
        assertEquals(Duration.ofSeconds(30), throttle.window());
    }

    @Test
    void aLineWrittenAnywayStartsTheWindowAgain() {
        LogThrottle throttle = new LogThrottle(1, Duration.ofSeconds(30), clock::get);
        assertEquals(0, throttle.admit());
        clock.addAndGet(29 * SECOND);
        throttle.wroteAnyway();
        clock.addAndGet(2 * SECOND);
        assertEquals(-1, throttle.admit());
        clock.addAndGet(28 * SECOND);
        assertEquals(1, throttle.admit());
    }

    @Test
    void aBudgetOfNoLinesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LogThrottle(0, Duration.ofSeconds(1), clock::get));
    }
}
