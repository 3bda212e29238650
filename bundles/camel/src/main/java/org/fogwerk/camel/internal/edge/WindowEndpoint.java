package org.fogwerk.camel.internal.edge;

import java.time.Clock;
import java.time.Instant;

import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.component.FogwerkHeaders;
import org.fogwerk.camel.internal.edge.TimeWindow.Result;
import org.fogwerk.camel.internal.edge.TimeWindow.Stat;

/**
 * {@code fogwerk:edge/window?period=60s&stat=mean}: {@code to} adds the TagValue body to its
 * tag's window and leaves the exchange as it is; {@code from} the same URI receives one exchange
 * per tag and closed window, at the window's end: the body is the chosen figure as a TagValue
 * of the tag stamped with the window's start, the headers carry all figures.
 */
final class WindowEndpoint extends EmittingEndpoint {

    private final TimeWindow window;
    private final Stat stat;
    private final Clock clock;

    WindowEndpoint(String uri, Component component, long periodMillis, Stat stat, Clock clock) {
        super(uri, component);
        this.window = new TimeWindow(periodMillis, clock);
        this.stat = stat;
        this.clock = clock;
    }

    @Override
    void feed(Exchange exchange) {
        TagValue v = TagValues.body(exchange, getEndpointUri());
        Result closed = window.add(v, exchange.getIn().getHeader(FogwerkHeaders.THING));
        if (closed != null) {
            emit(closed);
        }
    }

    @Override
    void onStart() {
        scheduleNextClose();
    }

    /** Closes the windows that ended and sends their results; the timer calls it at every window end. */
    void closeDue() {
        for (Result r : window.closeDue()) {
            emit(r);
        }
    }

    private void scheduleNextClose() {
        schedule(() -> {
            try {
                closeDue();
            } finally {
                scheduleNextClose();
            }
        }, window.nextBoundary() - clock.millis());
    }

    private void emit(Result r) {
        emit(exchange -> {
            Message m = exchange.getIn();
            TagValue body = r.toTagValue(stat);
            m.setBody(body);
            if (r.context() != null) {
                m.setHeader(FogwerkHeaders.THING, r.context());
            }
            m.setHeader(FogwerkHeaders.CONNECTION, r.connectionId());
            m.setHeader(FogwerkHeaders.TAG, r.tag());
            m.setHeader(FogwerkHeaders.QUALITY, body.quality().name());
            m.setHeader(FogwerkHeaders.SOURCE_TIME, Instant.ofEpochMilli(r.start()));
            m.setHeader(FogwerkHeaders.RECEIVED_TIME, Instant.ofEpochMilli(r.closedAt()));
            setFigures(m, r);
        });
    }

    /** The {@code FogwerkWindow*} headers of a result. */
    static void setFigures(Message m, Result r) {
        m.setHeader(FogwerkHeaders.WINDOW_START, Instant.ofEpochMilli(r.start()));
        m.setHeader(FogwerkHeaders.WINDOW_END, Instant.ofEpochMilli(r.end()));
        m.setHeader(FogwerkHeaders.WINDOW_COUNT, r.count());
        if (r.numericCount() > 0) {
            m.setHeader(FogwerkHeaders.WINDOW_MEAN, r.mean());
            m.setHeader(FogwerkHeaders.WINDOW_MIN, r.min());
            m.setHeader(FogwerkHeaders.WINDOW_MAX, r.max());
        }
    }
}
