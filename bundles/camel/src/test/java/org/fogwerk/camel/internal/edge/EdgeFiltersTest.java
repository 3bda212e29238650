package org.fogwerk.camel.internal.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;

class EdgeFiltersTest {

    private static TagFilter filter(Object... keyValues) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        TagFilter f = EdgeFilters.fromParameters(p);
        assertNotNull(f);
        assertTrue(p.isEmpty(), "known keys are removed: " + p);
        return f;
    }

    private static TagValue v(String tag, Object value, long received) {
        return TagValue.good("plc1", tag, value, received, received);
    }

    /** Feeds the values of tag t at times 0, 1, 2, ... and returns those that passed. */
    private static List<Object> passed(TagFilter f, Object... values) {
        List<Object> out = new ArrayList<>();
        long t = 0;
        for (Object value : values) {
            if (f.accept(v("t", value, t++))) {
                out.add(value);
            }
        }
        return out;
    }

    @Test
    void absoluteDeadbandPassesOnlyChangesBeyondTheBandFromTheLastSentValue() {
        TagFilter f = filter("deadband", "0.5");
        assertEquals(List.of(10.0, 10.6, 11.2), passed(f, 10.0, 10.3, 10.6, 10.4, 10.2, 11.2, 11.2, 10.8));
    }

    @Test
    void aChangeOfExactlyTheBandDoesNotPass() {
        assertEquals(List.of(10.0, 10.75), passed(filter("deadband", "0.5"), 10.0, 10.5, 9.5, 10.75));
    }

    @Test
    void wholeNumbersUseTheBandToo() {
        assertEquals(List.of(10L, 13L, 10L), passed(filter("deadband", "2"), 10L, 12L, 11L, 13L, 10L));
    }

    @Test
    void percentDeadbandIsOfTheLastSentValue() {
        // band 10 % of 100 = 10, then 10 % of 110.5 = 11.05
        assertEquals(List.of(100.0, 110.5, 121.6, -10.0),
                passed(filter("deadbandPercent", "10"), 100.0, 110.0, 110.5, 121.5, 121.6, -10.0));
    }

    @Test
    void percentDeadbandOfASpanIsFixed() {
        // 1 % of 200 = 2 whatever the value
        assertEquals(List.of(50.0, 52.5, 0.0, 2.5),
                passed(filter("deadbandPercent", "1", "deadbandSpan", "200"), 50.0, 52.0, 52.5, 0.0, 2.0, 2.5));
    }

    @Test
    void withAbsoluteAndPercentTheWiderBandApplies() {
        TagFilter f = filter("deadband", "1", "deadbandPercent", "10");
        // around 100 the band is 10; around 5 it is 1
        assertEquals(List.of(100.0, 111.0, 5.0, 6.5), passed(f, 100.0, 105.0, 110.0, 111.0, 5.0, 5.9, 6.0, 6.5));
    }

    @Test
    void zeroDeadbandPassesEveryNumericChange() {
        assertEquals(List.of(1.0, 1.0000001, 1.0), passed(filter("deadband", "0"), 1.0, 1.0, 1.0000001, 1.0));
    }

    @Test
    void deadbandTreatsTextBooleansAndArraysAsChangeOnly() {
        TagFilter f = filter("deadband", "5");
        assertEquals(List.of("a", "b", "a"), passed(f, "a", "a", "b", "b", "a"));
        TagFilter g = filter("deadband", "5");
        long t = 0;
        assertTrue(g.accept(v("flag", true, t++)));
        assertFalse(g.accept(v("flag", true, t++)));
        assertTrue(g.accept(v("flag", false, t++)));
        assertTrue(g.accept(v("arr", new double[] {1, 2}, t++)));
        assertFalse(g.accept(v("arr", new double[] {1, 2}, t++)));
        assertTrue(g.accept(v("arr", new double[] {1, 3}, t++)));
        // a change of type is a change
        assertTrue(g.accept(v("arr", 1.0, t++)));
    }

    @Test
    void notANumberPassesOnceAndRecoveryPasses() {
        assertEquals(3, passed(filter("deadband", "1"), 1.0, Double.NaN, Double.NaN, 1.5).size());
    }

    @Test
    void stateIsKeptPerConnectionAndTag() {
        TagFilter f = filter("deadband", "1");
        assertTrue(f.accept(TagValue.good("plc1", "t", 10.0, 0, 0)));
        assertTrue(f.accept(TagValue.good("plc2", "t", 10.5, 0, 0)));
        assertTrue(f.accept(TagValue.good("plc1", "u", 10.5, 0, 0)));
        assertFalse(f.accept(TagValue.good("plc1", "t", 10.5, 1, 1)));
        assertFalse(f.accept(TagValue.good("plc2", "t", 11.0, 1, 1)));
        assertTrue(f.accept(TagValue.good("plc2", "t", 12.0, 2, 2)));
    }

    @Test
    void everyChangeOfQualityPasses() {
        TagFilter f = filter("deadband", "1");
        assertTrue(f.accept(v("t", 10.0, 0)));
        assertTrue(f.accept(TagValue.of("plc1", "t", 10.1, Quality.UNCERTAIN, "stale", 1, 1)));
        assertFalse(f.accept(TagValue.of("plc1", "t", 10.2, Quality.UNCERTAIN, "stale", 2, 2)));
        assertTrue(f.accept(TagValue.of("plc1", "t", null, Quality.BAD, "timeout", 3, 3)));
        assertFalse(f.accept(TagValue.of("plc1", "t", null, Quality.BAD, "timeout", 4, 4)));
        assertTrue(f.accept(v("t", 10.2, 5)));
        assertFalse(f.accept(v("t", 10.3, 6)));
    }

    @Test
    void minIntervalLetsOneValuePerIntervalThroughByReceivedTime() {
        TagFilter f = filter("minInterval", "1s");
        long[] times = {0, 500, 999, 1000, 1500, 1999, 2000, 2001};
        List<Long> out = new ArrayList<>();
        for (long t : times) {
            if (f.accept(v("t", (double) t, t))) {
                out.add(t);
            }
        }
        assertEquals(List.of(0L, 1000L, 2000L), out);
    }

    @Test
    void minIntervalPassesAfterTheClockWasSetBack() {
        TagFilter f = filter("minInterval", "500ms");
        assertTrue(f.accept(v("t", 1.0, 10_000)));
        assertFalse(f.accept(v("t", 2.0, 10_100)));
        assertTrue(f.accept(v("t", 3.0, 4_000)));
        assertFalse(f.accept(v("t", 4.0, 4_400)));
    }

    @Test
    void minIntervalAndDeadbandTogether() {
        TagFilter f = filter("minInterval", "100", "deadband", "1");
        assertTrue(f.accept(v("t", 0.0, 0)));
        assertFalse(f.accept(v("t", 5.0, 50)), "too early, however large the change");
        assertFalse(f.accept(v("t", 0.5, 150)), "due, but within the band");
        assertTrue(f.accept(v("t", 5.0, 160)));
        assertFalse(f.accept(v("t", 9.0, 200)), "the interval counts from the last sent value");
        assertTrue(f.accept(v("t", 9.0, 260)));
    }

    @Test
    void changeOnlyPassesChangedValuesOfEveryType() {
        TagFilter f = filter("changeOnly", "true");
        assertEquals(List.of(1L, 2L, 1L, 1.0), passed(f, 1L, 1L, 2L, 2L, 1L, 1.0, 1.0));
        TagFilter g = filter("changeOnly", "TRUE");
        assertTrue(g.accept(v("a", new String[] {"x"}, 0)));
        assertFalse(g.accept(v("a", new String[] {"x"}, 1)));
    }

    @Test
    void noFilterOptionGivesNullAndLeavesOtherKeys() {
        Map<String, Object> p = new HashMap<>(Map.of("thing", "press*", "tag", "temp"));
        assertNull(EdgeFilters.fromParameters(p));
        assertEquals(Map.of("thing", "press*", "tag", "temp"), p);
        Map<String, Object> q = new HashMap<>(Map.of("thing", "press*", "changeOnly", "false"));
        assertNull(EdgeFilters.fromParameters(q));
        assertEquals(Map.of("thing", "press*"), q);
        Map<String, Object> r = new HashMap<>(Map.of("thing", "press*", "deadband", "0.5"));
        assertNotNull(EdgeFilters.fromParameters(r));
        assertEquals(Map.of("thing", "press*"), r);
    }

    @Test
    void typedParameterValuesAreAccepted() {
        Map<String, Object> p = new HashMap<>(Map.of("deadband", 2, "changeOnly", Boolean.TRUE));
        TagFilter f = EdgeFilters.fromParameters(p);
        assertEquals(List.of(1.0, 3.5), passed(f, 1.0, 3.0, 3.5));
    }

    private static String error(Object... keyValues) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return assertThrows(IllegalArgumentException.class, () -> EdgeFilters.fromParameters(p)).getMessage();
    }

    @Test
    void badValuesNameTheKeyAndSayWhy() {
        assertEquals("deadband=abc: not a number", error("deadband", "abc"));
        assertEquals("deadband=-1: must be at least 0", error("deadband", "-1"));
        assertEquals("deadband=NaN: not a finite number", error("deadband", "NaN"));
        assertEquals("deadbandPercent=ten: not a number", error("deadbandPercent", "ten"));
        assertEquals("deadbandPercent=-5: must be at least 0", error("deadbandPercent", "-5"));
        assertEquals("deadbandSpan=100: needs deadbandPercent", error("deadbandSpan", "100"));
        assertEquals("deadbandSpan=0: must be more than 0", error("deadbandSpan", "0", "deadbandPercent", "1"));
        assertEquals("minInterval=fast: not a duration (use e.g. 500ms, 2s, 5m, 1h)", error("minInterval", "fast"));
        assertEquals("minInterval=2d: not a duration (use e.g. 500ms, 2s, 5m, 1h)", error("minInterval", "2d"));
        assertEquals("minInterval=0s: must be more than 0", error("minInterval", "0s"));
        assertEquals("changeOnly=yes: use true or false", error("changeOnly", "yes"));
        assertEquals("deadband=: a value is required", error("deadband", ""));
    }

    @Test
    void durationsInTheUnitsUsersWrite() {
        assertEquals(500, Durations.parseMillis("500ms"));
        assertEquals(1500, Durations.parseMillis("1500"));
        assertEquals(2000, Durations.parseMillis("2s"));
        assertEquals(2000, Durations.parseMillis(" 2 s "));
        assertEquals(300_000, Durations.parseMillis("5m"));
        assertEquals(300_000, Durations.parseMillis("5min"));
        assertEquals(3_600_000, Durations.parseMillis("1h"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis("s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis("-1s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis("1.5s"));
    }

    @Test
    void deadbandBlockAlone() {
        Deadband d = new Deadband(0.5, 0, 0);
        assertFalse(d.exceeded(1, 1.5));
        assertTrue(d.exceeded(1, 1.5000001));
        assertTrue(d.exceeded(1, 0.4));
        assertFalse(d.exceeded(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertTrue(d.exceeded(1, Double.POSITIVE_INFINITY));
        Deadband p = new Deadband(0, 50, 0);
        assertFalse(p.exceeded(-4, -6));
        assertTrue(p.exceeded(-4, -6.1));
        assertTrue(p.exceeded(0, 0.0001), "percent of a last value of 0 is 0");
    }

    @Test
    void rateLimitBlockAlone() {
        RateLimit r = new RateLimit(100);
        assertFalse(r.due(1000, 1099));
        assertTrue(r.due(1000, 1100));
        assertTrue(r.due(1000, 999));
    }
}
