package org.fogwerk.camel.internal.edge;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.component.FogwerkHeaders;
import org.fogwerk.camel.internal.edge.ThresholdAlarm.State;

/**
 * {@code fogwerk:edge/alarm?high=..&low=..&hysteresis=..}: a route step that lets through only
 * the values at which a tag's alarm state changes, turned into an alarm event: the body becomes
 * a text value {@code HIGH}, {@code LOW} or {@code NORMAL} of the tag named with the suffix
 * ({@code temperature_alarm}), with the same connection and timestamps; headers say what
 * happened. Every other value ends its exchange's way through the route. Booleans count as 0 and
 * 1; text, arrays and BAD values leave the state as it is. Each event is also recorded in the
 * context's {@link AlarmJournal}, for the console and the REST API.
 */
final class AlarmStep implements StepEndpoint.Step {

    private final ThresholdAlarm alarm;
    private final String suffix;
    private final AlarmJournal journal;
    private final TagStates<State[]> states = new TagStates<>(() -> new State[] {State.NORMAL});

    AlarmStep(ThresholdAlarm alarm, String suffix, AlarmJournal journal) {
        this.alarm = alarm;
        this.suffix = suffix;
        this.journal = journal;
    }

    @Override
    public void process(Exchange exchange, String uri) {
        TagValue v = TagValues.body(exchange, uri);
        double d = v.quality() == Quality.BAD ? Double.NaN : TagValues.number(v.value());
        State[] holder = states.get(v.connectionId(), v.tag());
        State before;
        State after;
        synchronized (holder) {
            before = holder[0];
            after = alarm.next(before, d);
            holder[0] = after;
        }
        if (after == before) {
            exchange.setRouteStop(true);
            return;
        }
        String tag = v.tag() + suffix;
        Message in = exchange.getIn();
        in.setBody(TagValue.of(v.connectionId(), tag, after.name(), v.quality(), v.qualityReason(),
                v.sourceTime(), v.receivedTime()));
        in.setHeader(FogwerkHeaders.TAG, tag);
        in.setHeader(FogwerkHeaders.ALARM_STATE, after.name());
        in.setHeader(FogwerkHeaders.ALARM_PREVIOUS, before.name());
        in.setHeader(FogwerkHeaders.ALARM_EVENT, after == State.NORMAL ? "CLEAR" : "RAISE");
        double limit = alarm.limit(after, before);
        in.setHeader(FogwerkHeaders.ALARM_LIMIT, limit);
        in.setHeader(FogwerkHeaders.ALARM_VALUE, d);
        journal.record(exchange.getFromRouteId(), in.getHeader(FogwerkHeaders.THING, String.class), v.connectionId(),
                v.tag(), tag, after.name(), before.name(), d, limit, v.quality(), v.sourceTime());
    }
}
