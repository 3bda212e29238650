package org.fogwerk.camel.internal.edge;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.fogwerk.camel.internal.edge.TimeWindow.Stat;

/**
 * The {@code fogwerk:edge/<kind>?...} endpoints:
 * <ul>
 * <li>{@code filter} (route step): the options of {@link EdgeFilters}; values that do not pass
 * end there.</li>
 * <li>{@code alarm} (route step): {@code high}, {@code low}, {@code hysteresis} (default 0),
 * {@code suffix} (default {@code _alarm}); only values at which the alarm state changes go on,
 * as alarm events.</li>
 * <li>{@code gzip} (route step): {@code level} 1..9 (default 6).</li>
 * <li>{@code window} ({@code to} feeds, {@code from} the same URI reads): {@code period}
 * (default 60s), {@code stat} mean|min|max|count (default mean).</li>
 * <li>{@code batch} ({@code to} feeds, {@code from} the same URI reads): {@code size} (default
 * 100), {@code bytes} (default no limit), {@code linger} (default 1s).</li>
 * </ul>
 */
public final class EdgeEndpoints {

    static final String PREFIX = "fogwerk:edge/";

    private EdgeEndpoints() {
    }

    /**
     * Creates the endpoint of a kind, taking its options out of {@code parameters}.
     *
     * @return {@code null} for a kind this class does not know
     * @throws IllegalArgumentException naming the option and why, for a bad or unknown option
     */
    public static Endpoint create(String uri, Component component, String kind, Map<String, Object> parameters) {
        return create(uri, component, kind, parameters, new AlarmJournal());
    }

    /** As {@link #create(String, Component, String, Map)}, with alarm steps that record their events in {@code alarms}. */
    public static Endpoint create(String uri, Component component, String kind, Map<String, Object> parameters,
            AlarmJournal alarms) {
        return create(uri, component, kind, parameters, alarms, Clock.systemUTC());
    }

    static Endpoint create(String uri, Component component, String kind, Map<String, Object> parameters,
            Clock clock) {
        return create(uri, component, kind, parameters, new AlarmJournal(), clock);
    }

    static Endpoint create(String uri, Component component, String kind, Map<String, Object> parameters,
            AlarmJournal alarms, Clock clock) {
        Options o = new Options(PREFIX + kind, parameters);
        Endpoint endpoint;
        switch (kind) {
            case "filter": {
                TagFilter filter = EdgeFilters.fromOptions(o);
                o.rejectUnknown(EdgeFilters.DEADBAND, EdgeFilters.DEADBAND_PERCENT, EdgeFilters.DEADBAND_SPAN,
                        EdgeFilters.MIN_INTERVAL, EdgeFilters.CHANGE_ONLY);
                if (filter == null) {
                    throw new IllegalArgumentException(PREFIX + kind + ": set deadband, deadbandPercent, minInterval"
                            + " or changeOnly=true");
                }
                endpoint = new StepEndpoint(uri, component, new FilterStep(filter));
                break;
            }
            case "alarm": {
                double high = o.anyNumber("high");
                double low = o.anyNumber("low");
                double hysteresis = o.number("hysteresis", 0, 0);
                String suffix = o.text("suffix");
                o.rejectUnknown("high", "low", "hysteresis", "suffix");
                if (Double.isNaN(high) && Double.isNaN(low)) {
                    throw new IllegalArgumentException(PREFIX + kind + ": set high, low or both");
                }
                if (!Double.isNaN(high) && !Double.isNaN(low) && low >= high) {
                    throw new IllegalArgumentException(PREFIX + kind + ": low=" + low + " must be below high=" + high);
                }
                endpoint = new StepEndpoint(uri, component, new AlarmStep(new ThresholdAlarm(high, low, hysteresis),
                        suffix == null ? "_alarm" : suffix, alarms));
                break;
            }
            case "gzip": {
                int level = (int) o.whole("level", 6, 1, 9);
                o.rejectUnknown("level");
                endpoint = new StepEndpoint(uri, component, new GzipStep(level));
                break;
            }
            case "window": {
                long period = o.duration("period", 60_000);
                Stat stat = Stat.valueOf(o.choice("stat", "mean", "mean", "min", "max", "count").toUpperCase(Locale.ROOT));
                o.rejectUnknown("period", "stat");
                endpoint = new WindowEndpoint(uri, component, period, stat, clock);
                break;
            }
            case "batch": {
                int size = (int) o.whole("size", 100, 1, 1_000_000);
                long bytes = o.whole("bytes", Long.MAX_VALUE, 1, Long.MAX_VALUE);
                long linger = o.duration("linger", 1000);
                o.rejectUnknown("size", "bytes", "linger");
                endpoint = new BatchEndpoint(uri, component, size, bytes, linger, clock);
                break;
            }
            default:
                return null;
        }
        return endpoint;
    }
}
