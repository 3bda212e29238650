package org.fogwerk.camel.internal.edge;

import java.util.Map;

/**
 * Per-value filter options of {@code fogwerk:tags} consumers and {@code fogwerk:edge/filter}
 * steps:
 * <ul>
 * <li>{@code deadband=<amount>}: numbers pass when they differ from the tag's last sent value by
 * more than the amount; other values (text, booleans, arrays) pass when they change.</li>
 * <li>{@code deadbandPercent=<p>}: the band is p percent of the magnitude of the last sent value,
 * or, with {@code deadbandSpan=<span>}, p percent of that span (the tag's measuring range).
 * With both {@code deadband} and {@code deadbandPercent} the wider band applies.</li>
 * <li>{@code minInterval=<duration>}: at most one value per tag in that interval (by the time the
 * node received it); values in between are dropped.</li>
 * <li>{@code changeOnly=true}: a value passes only when it differs from the last sent one.</li>
 * </ul>
 * The first value of each tag and every change of quality always pass.
 */
public final class EdgeFilters {

    /** Option keys this class reads. */
    static final String DEADBAND = "deadband";
    static final String DEADBAND_PERCENT = "deadbandPercent";
    static final String DEADBAND_SPAN = "deadbandSpan";
    static final String MIN_INTERVAL = "minInterval";
    static final String CHANGE_ONLY = "changeOnly";

    private EdgeFilters() {
    }

    /**
     * Removes the filter options from an endpoint's parameters and returns a filter with state
     * per connection and tag, or {@code null} when none is set.
     *
     * @throws IllegalArgumentException naming the key and why its value is wrong
     */
    public static TagFilter fromParameters(Map<String, Object> parameters) {
        return fromOptions(new Options("", parameters));
    }

    static TagFilter fromOptions(Options o) {
        double absolute = o.number(DEADBAND, -1, 0);
        double percent = o.number(DEADBAND_PERCENT, -1, 0);
        double span = o.number(DEADBAND_SPAN, -1, 0);
        long minInterval = o.duration(MIN_INTERVAL, -1);
        boolean changeOnly = o.bool(CHANGE_ONLY, false);
        if (span == 0) {
            throw o.bad(DEADBAND_SPAN, "0", "must be more than 0");
        }
        if (span > 0 && percent < 0) {
            throw o.bad(DEADBAND_SPAN, plain(span), "needs " + DEADBAND_PERCENT);
        }
        Deadband deadband = absolute >= 0 || percent >= 0
                ? new Deadband(Math.max(absolute, 0), Math.max(percent, 0), Math.max(span, 0))
                : null;
        RateLimit rateLimit = minInterval > 0 ? new RateLimit(minInterval) : null;
        if (deadband == null && rateLimit == null && !changeOnly) {
            return null;
        }
        return new ValueFilter(deadband, rateLimit, changeOnly);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
