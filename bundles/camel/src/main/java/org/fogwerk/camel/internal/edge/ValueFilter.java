package org.fogwerk.camel.internal.edge;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;

/**
 * The per-value filter of a consumer or route step: rate limit, then deadband (numbers) or
 * change-only (everything else), against the last value sent for the same connection and tag.
 * The first value of a tag and every change of quality always pass.
 */
final class ValueFilter implements TagFilter {

    private final Deadband deadband;
    private final RateLimit rateLimit;
    private final boolean changeOnly;
    private final TagStates<LastSent> states = new TagStates<>(LastSent::new);

    /** {@code deadband} and {@code rateLimit} may be null. */
    ValueFilter(Deadband deadband, RateLimit rateLimit, boolean changeOnly) {
        this.deadband = deadband;
        this.rateLimit = rateLimit;
        this.changeOnly = changeOnly;
    }

    @Override
    public boolean accept(TagValue v) {
        LastSent last = states.get(v.connectionId(), v.tag());
        synchronized (last) {
            if (last.quality == null || last.quality != v.quality()) {
                last.record(v);
                return true;
            }
            if (rateLimit != null && !rateLimit.due(last.time, v.receivedTime())) {
                return false;
            }
            if (deadband == null && !changeOnly) {
                last.record(v);
                return true;
            }
            Object value = v.value();
            boolean pass;
            if (deadband != null && last.numeric && isNumber(value)) {
                pass = value instanceof Long && last.value instanceof Long
                        ? (long) value != (long) last.value && deadband.exceeded(last.number, (long) value)
                        : deadband.exceeded(last.number, ((Number) value).doubleValue());
            } else {
                pass = ChangeOnly.changed(last.value, value);
            }
            if (pass) {
                last.record(v.quality(), value, v.receivedTime());
            }
            return pass;
        }
    }

    private static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double;
    }

    /** What was last sent for one tag. */
    private static final class LastSent {
        Quality quality;
        Object value;
        boolean numeric;
        double number;
        long time;

        void record(TagValue v) {
            record(v.quality(), v.value(), v.receivedTime());
        }

        void record(Quality q, Object val, long t) {
            quality = q;
            value = val;
            numeric = isNumber(val);
            number = numeric ? ((Number) val).doubleValue() : Double.NaN;
            time = t;
        }
    }
}
