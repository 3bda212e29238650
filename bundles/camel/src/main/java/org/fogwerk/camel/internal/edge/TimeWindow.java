package org.fogwerk.camel.internal.edge;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;

/**
 * Count, mean, minimum and maximum of each tag over tumbling time windows aligned to the period
 * (a 60 s window runs from one full minute to the next, in UTC). A value belongs to the window in
 * which the clock stands when it is added; a window closes when a value of the same tag arrives
 * in a later window or when {@link #closeDue()} runs after its end.
 *
 * <p>Booleans count as 0 and 1 (so the mean of a boolean is the share of true samples); text and
 * arrays are counted but do not enter mean, minimum and maximum; values of quality BAD are not
 * counted, they make the window's result UNCERTAIN (or BAD if nothing else came).
 */
final class TimeWindow {

    private final long period;
    private final Clock clock;
    private final TagStates<Accumulator> states = new TagStates<>(Accumulator::new);

    TimeWindow(long periodMillis, Clock clock) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("the period must be more than 0");
        }
        this.period = periodMillis;
        this.clock = clock;
    }

    /** Start of the window containing {@code time}. */
    long windowStart(long time) {
        return time - Math.floorMod(time, period);
    }

    /** End of the window now open (the next time {@link #closeDue()} has work). */
    long nextBoundary() {
        return windowStart(clock.millis()) + period;
    }

    /**
     * Adds a value; returns the tag's previous window when this value is the first in a later one,
     * else {@code null}.
     *
     * @param context carried into the result (for example the thing name), may be null
     */
    Result add(TagValue v, Object context) {
        long now = clock.millis();
        long start = windowStart(now);
        Accumulator acc = states.get(v.connectionId(), v.tag());
        synchronized (acc) {
            Result closed = null;
            if (acc.open && acc.start != start) {
                closed = acc.close(v.connectionId(), v.tag(), period, now);
            }
            if (!acc.open) {
                acc.begin(start);
            }
            acc.add(v);
            acc.context = context;
            return closed;
        }
    }

    /** Closes every window that ended by now, in no particular order. */
    List<Result> closeDue() {
        long now = clock.millis();
        long current = windowStart(now);
        List<Result> results = new ArrayList<>();
        states.forEach((connection, tag, acc) -> {
            synchronized (acc) {
                if (acc.open && acc.start < current) {
                    results.add(acc.close(connection, tag, period, now));
                }
            }
        });
        return results;
    }

    /** Running figures of one tag's open window; also used by the aggregation strategy. */
    static final class Accumulator {
        boolean open;
        long start;
        long count;
        long numericCount;
        double sum;
        double min;
        double max;
        boolean notGood;
        long firstTime;
        long lastTime;
        Object context;

        void begin(long windowStart) {
            open = true;
            start = windowStart;
            count = 0;
            numericCount = 0;
            sum = 0;
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            notGood = false;
            firstTime = Long.MAX_VALUE;
            lastTime = Long.MIN_VALUE;
        }

        void add(TagValue v) {
            firstTime = Math.min(firstTime, v.sourceTime());
            lastTime = Math.max(lastTime, v.sourceTime());
            if (v.quality() != Quality.GOOD) {
                notGood = true;
            }
            if (v.quality() == Quality.BAD) {
                return;
            }
            count++;
            Object value = v.value();
            double d;
            if (value instanceof Double || value instanceof Long) {
                d = ((Number) value).doubleValue();
            } else if (value instanceof Boolean) {
                d = (Boolean) value ? 1 : 0;
            } else {
                return;
            }
            if (Double.isNaN(d)) {
                return;
            }
            numericCount++;
            sum += d;
            if (d < min) {
                min = d;
            }
            if (d > max) {
                max = d;
            }
        }

        Result close(String connection, String tag, long period, long closedAt) {
            open = false;
            Quality q = count == 0 ? Quality.BAD : notGood ? Quality.UNCERTAIN : Quality.GOOD;
            Result r = new Result(connection, tag, start, start + period, count, numericCount,
                    numericCount == 0 ? Double.NaN : sum / numericCount,
                    numericCount == 0 ? Double.NaN : min, numericCount == 0 ? Double.NaN : max, q, closedAt,
                    context);
            context = null;
            return r;
        }
    }

    /** The figures of one closed window of one tag. */
    record Result(String connectionId, String tag, long start, long end, long count, long numericCount, double mean,
            double min, double max, Quality quality, long closedAt, Object context) {

        /**
         * One figure as a value of the same connection and tag, stamped with the window's start:
         * {@code count} as a Long, the others as Doubles. A window without a numeric value gives a
         * BAD value for {@code mean}, {@code min} and {@code max}.
         */
        TagValue toTagValue(Stat stat) {
            if (stat == Stat.COUNT) {
                Quality q = count == 0 ? Quality.UNCERTAIN : quality;
                return TagValue.of(connectionId, tag, count, q, reason(q), start, closedAt);
            }
            if (numericCount == 0) {
                return TagValue.of(connectionId, tag, null, Quality.BAD,
                        count == 0 ? "no good value in the window" : "no numeric value in the window", start, closedAt);
            }
            double v = stat == Stat.MEAN ? mean : stat == Stat.MIN ? min : max;
            return TagValue.of(connectionId, tag, v, quality, reason(quality), start, closedAt);
        }

        private static String reason(Quality q) {
            return q == Quality.GOOD ? null : "not every value in the window was GOOD";
        }

        @Override
        public String toString() {
            return connectionId + "/" + tag + " [" + start + "," + end + ") count=" + count + " mean=" + mean
                    + " min=" + min + " max=" + max + " " + quality;
        }
    }

    /** The figure a window result is turned into. */
    enum Stat {
        MEAN, MIN, MAX, COUNT
    }
}
