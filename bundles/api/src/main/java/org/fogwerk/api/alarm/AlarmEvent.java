package org.fogwerk.api.alarm;

import java.time.Instant;
import java.util.Objects;

import org.fogwerk.api.Quality;

/**
 * One change of a tag's alarm state.
 *
 * @param sequence   the node's running number of alarm events, rising by one per event
 * @param route      the id of the route that raised it
 * @param thing      the thing the watched tag feeds; empty when it feeds none
 * @param connection the connection of the watched tag
 * @param tag        the watched tag ({@code temperature})
 * @param alarmTag   the tag the event is sent as ({@code temperature_alarm})
 * @param level      the new state: {@code HIGH}, {@code LOW} or {@code NORMAL}
 * @param previous   the state before
 * @param value      the value at which the state changed
 * @param limit      the limit that value crossed
 * @param quality    the value's quality
 * @param time       when the machine sampled the value, epoch milliseconds
 */
public record AlarmEvent(long sequence, String route, String thing, String connection, String tag, String alarmTag,
        String level, String previous, double value, double limit, Quality quality, long time) {

    /** The state of a tag without an alarm. */
    public static final String NORMAL = "NORMAL";

    public AlarmEvent {
        route = route == null ? "" : route;
        thing = thing == null ? "" : thing;
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(alarmTag, "alarmTag");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(quality, "quality");
    }

    /** Whether the event raised an alarm ({@code false}: it cleared one). */
    public boolean raised() {
        return !NORMAL.equals(level);
    }

    public Instant instant() {
        return Instant.ofEpochMilli(time);
    }
}
