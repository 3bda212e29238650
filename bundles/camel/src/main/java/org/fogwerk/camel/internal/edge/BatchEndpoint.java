package org.fogwerk.camel.internal.edge;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.component.FogwerkHeaders;

/**
 * {@code fogwerk:edge/batch?size=100&bytes=..&linger=1s}: {@code to} adds the body to the
 * pending batch and leaves the exchange as it is; {@code from} the same URI receives each batch
 * as a {@code java.util.List} of the bodies, in arrival order, when it holds {@code size} items,
 * reaches {@code bytes}, or its first item has waited {@code linger}. What is pending when the
 * reading route stops is sent then. Headers of the fed exchanges are not kept.
 */
final class BatchEndpoint extends EmittingEndpoint {

    private final Batcher<Object> batcher;
    private final Clock clock;
    /** One linger check waits in the scheduler at a time, however many batches fill up by size. */
    private final AtomicBoolean lingerCheckPending = new AtomicBoolean();

    BatchEndpoint(String uri, Component component, int size, long maxBytes, long lingerMillis, Clock clock) {
        super(uri, component);
        this.batcher = new Batcher<>(size, maxBytes, lingerMillis, clock);
        this.clock = clock;
    }

    @Override
    void feed(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body == null) {
            throw new IllegalArgumentException(getEndpointUri() + " cannot batch an empty body");
        }
        if (batcher.add(body, estimateSize(body), this::send)
                && lingerCheckPending.compareAndSet(false, true)) {
            schedule(this::sendLingered, batcher.deadline() - clock.millis());
        }
    }

    /** Sends the pending batch if it waited long enough; the timer calls it at the batch's deadline. */
    void sendLingered() {
        // cleared before looking, so a batch started meanwhile is seen here or schedules its own check
        lingerCheckPending.set(false);
        List<Object> b = batcher.takeIfLingered();
        if (b != null) {
            send(b);
        }
        long deadline = batcher.deadline();
        if (deadline != Long.MAX_VALUE && lingerCheckPending.compareAndSet(false, true)) {
            schedule(this::sendLingered, deadline - clock.millis());
        }
    }

    @Override
    void onConsumerStopping() {
        List<Object> b = batcher.takeAll();
        if (b != null) {
            send(b);
        }
    }

    private void send(List<Object> batch) {
        emit(exchange -> {
            exchange.getIn().setBody(batch);
            exchange.getIn().setHeader(FogwerkHeaders.BATCH_SIZE, batch.size());
        });
    }

    /**
     * Bytes a body counts for: byte arrays their length, text its UTF-8 length, a TagValue its
     * names and value plus 16 for the timestamps (about its size in a binary encoding), anything
     * else 64.
     */
    static long estimateSize(Object body) {
        if (body instanceof byte[]) {
            return ((byte[]) body).length;
        }
        if (body instanceof String) {
            return utf8Length((String) body);
        }
        if (body instanceof TagValue) {
            TagValue v = (TagValue) body;
            return utf8Length(v.connectionId()) + utf8Length(v.tag()) + valueSize(v.value()) + 16;
        }
        return 64;
    }

    private static long valueSize(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Long || value instanceof Double) {
            return 8;
        }
        if (value instanceof Boolean) {
            return 1;
        }
        if (value instanceof String) {
            return utf8Length((String) value);
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).length;
        }
        if (value instanceof boolean[]) {
            return ((boolean[]) value).length;
        }
        if (value instanceof long[]) {
            return 8L * ((long[]) value).length;
        }
        if (value instanceof double[]) {
            return 8L * ((double[]) value).length;
        }
        long n = 0;
        for (String s : (String[]) value) {
            n += utf8Length(s) + 1;
        }
        return n;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
