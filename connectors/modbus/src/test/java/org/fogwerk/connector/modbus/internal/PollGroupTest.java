package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class PollGroupTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aLateFirstCycleStartsTheRateAndIsNotCountedAsTheDevicesFault() {
        PollGroup fast = new PollGroup("fast", 200 * MS, List.of());
        fast.next = 0;
        // the first cycle waited for the other groups' first cycles: it ends at 450 ms
        fast.advance(450 * MS, "line2");
        assertEquals(0, fast.overruns);
        assertEquals(450 * MS, fast.next, "the next cycle is due at once, and the rate counts from there");
        assertEquals("", PollGroup.skipped(List.of(fast), 450 * MS));

        fast.advance(500 * MS, "line2");
        assertEquals(650 * MS, fast.next);
        assertEquals(0, fast.overruns);
    }

    @Test
    void aGroupThatOverrunsIsInTheReasonUntilItKeptUpForAMinute() {
        PollGroup fast = new PollGroup("fast", 200 * MS, List.of());
        fast.next = 0;
        fast.advance(100 * MS, "line2");
        // the second cycle, due at 200 ms, ends at 650 ms: the cycles due at 400 and 600 ms are skipped
        fast.advance(650 * MS, "line2");
        assertEquals(2, fast.overruns);
        assertEquals(800 * MS, fast.next);
        String reason = "poll group fast skipped 2 cycle(s) (its 200 ms interval is too short for the device)";
        assertEquals(reason, PollGroup.skipped(List.of(fast), 700 * MS));
        assertEquals(reason, PollGroup.skipped(List.of(fast), 650 * MS + PollGroup.RECENT - MS));
        assertEquals("", PollGroup.skipped(List.of(fast), 650 * MS + PollGroup.RECENT));
        assertEquals(2, fast.overruns, "still counted since start");
    }
}
