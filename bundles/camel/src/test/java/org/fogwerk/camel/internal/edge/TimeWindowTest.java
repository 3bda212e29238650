package org.fogwerk.camel.internal.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.edge.TimeWindow.Result;
import org.fogwerk.camel.internal.edge.TimeWindow.Stat;
import org.junit.jupiter.api.Test;

class TimeWindowTest {

    private final TestClock clock = new TestClock(125_000);
    private final TimeWindow window = new TimeWindow(60_000, clock);

    private static TagValue v(String tag, Object value) {
        return TagValue.good("plc1", tag, value, 1, 1);
    }

    @Test
    void windowsAreAlignedToThePeriod() {
        assertEquals(120_000, window.windowStart(125_000));
        assertEquals(120_000, window.windowStart(120_000));
        assertEquals(60_000, window.windowStart(119_999));
        assertEquals(-60_000, window.windowStart(-1));
        assertEquals(180_000, window.nextBoundary());
    }

    @Test
    void closedWindowGivesCountMeanMinMax() {
        assertNull(window.add(v("t", 1.0), "press1"));
        window.add(v("t", 2.0), "press1");
        window.add(v("t", 6.0), "press1");
        window.add(v("t", 3L), "press1");
        clock.set(179_999);
        assertTrue(window.closeDue().isEmpty());
        clock.set(180_000);
        List<Result> closed = window.closeDue();
        assertEquals(1, closed.size());
        Result r = closed.get(0);
        assertEquals("plc1", r.connectionId());
        assertEquals("t", r.tag());
        assertEquals(120_000, r.start());
        assertEquals(180_000, r.end());
        assertEquals(4, r.count());
        assertEquals(3.0, r.mean());
        assertEquals(1.0, r.min());
        assertEquals(6.0, r.max());
        assertEquals(Quality.GOOD, r.quality());
        assertEquals("press1", r.context());

        TagValue mean = r.toTagValue(Stat.MEAN);
        assertEquals(TagValue.of("plc1", "t", 3.0, Quality.GOOD, null, 120_000, 180_000), mean);
        assertEquals(1.0, r.toTagValue(Stat.MIN).value());
        assertEquals(6.0, r.toTagValue(Stat.MAX).value());
        assertEquals(4L, r.toTagValue(Stat.COUNT).value());

        assertTrue(window.closeDue().isEmpty(), "a window closes once; silent tags open no new window");
    }

    @Test
    void aValueInALaterWindowClosesTheTagsWindow() {
        window.add(v("t", 4.0), null);
        window.add(v("u", 7.0), null);
        clock.set(185_000);
        Result r = window.add(v("t", 10.0), null);
        assertEquals(120_000, r.start());
        assertEquals(1, r.count());
        assertEquals(4.0, r.mean());
        // u's window is still open until closeDue
        List<Result> rest = window.closeDue();
        assertEquals(1, rest.size());
        assertEquals("u", rest.get(0).tag());
        clock.set(240_000);
        List<Result> next = window.closeDue();
        assertEquals(1, next.size());
        assertEquals(180_000, next.get(0).start());
        assertEquals(10.0, next.get(0).mean());
    }

    @Test
    void everyTagHasItsOwnWindow() {
        window.add(v("a", 1.0), null);
        window.add(v("b", 10.0), null);
        window.add(v("a", 3.0), null);
        window.add(TagValue.good("plc2", "a", 100.0, 1, 1), null);
        clock.set(180_000);
        List<Result> closed = window.closeDue();
        closed.sort(Comparator.comparing((Result r) -> r.connectionId()).thenComparing(r -> r.tag()));
        assertEquals(3, closed.size());
        assertEquals(2.0, closed.get(0).mean());
        assertEquals(10.0, closed.get(1).mean());
        assertEquals(100.0, closed.get(2).mean());
    }

    @Test
    void booleansCountAsZeroAndOne() {
        window.add(v("run", true), null);
        window.add(v("run", false), null);
        window.add(v("run", true), null);
        window.add(v("run", true), null);
        clock.set(180_000);
        Result r = window.closeDue().get(0);
        assertEquals(0.75, r.mean());
        assertEquals(0.0, r.min());
        assertEquals(1.0, r.max());
    }

    @Test
    void textIsCountedButHasNoMean() {
        window.add(v("state", "RUN"), null);
        window.add(v("state", "STOP"), null);
        clock.set(180_000);
        Result r = window.closeDue().get(0);
        assertEquals(2L, r.toTagValue(Stat.COUNT).value());
        TagValue mean = r.toTagValue(Stat.MEAN);
        assertEquals(Quality.BAD, mean.quality());
        assertEquals("no numeric value in the window", mean.qualityReason());
    }

    @Test
    void badValuesAreNotCountedAndMakeTheResultUncertain() {
        window.add(v("t", 2.0), null);
        window.add(TagValue.of("plc1", "t", null, Quality.BAD, "timeout", 1, 1), null);
        window.add(TagValue.of("plc1", "t", 4.0, Quality.GOOD, null, 1, 1), null);
        clock.set(180_000);
        Result r = window.closeDue().get(0);
        assertEquals(2, r.count());
        assertEquals(3.0, r.mean());
        assertEquals(Quality.UNCERTAIN, r.quality());
        assertEquals(Quality.UNCERTAIN, r.toTagValue(Stat.MEAN).quality());
    }

    @Test
    void aWindowOfOnlyBadValuesGivesABadResult() {
        window.add(TagValue.of("plc1", "t", null, Quality.BAD, "timeout", 1, 1), null);
        clock.set(180_000);
        Result r = window.closeDue().get(0);
        assertEquals(0, r.count());
        assertEquals(Quality.BAD, r.quality());
        TagValue mean = r.toTagValue(Stat.MEAN);
        assertEquals(Quality.BAD, mean.quality());
        assertEquals("no good value in the window", mean.qualityReason());
        assertEquals(0L, r.toTagValue(Stat.COUNT).value());
        assertEquals(Quality.UNCERTAIN, r.toTagValue(Stat.COUNT).quality());
    }
}
