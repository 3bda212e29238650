package org.fogwerk.connector.modbus.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.spi.TagSink;

/** Keeps the latest value of each tag and counts what arrived. */
final class RecordingSink implements TagSink {

    final Map<String, TagValue> latest = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<TagValue> history = new ConcurrentLinkedQueue<>();
    final AtomicLong count = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    private final TagSink next;

    RecordingSink() {
        this(null);
    }

    /** Records and passes every value on to {@code next} (the node's tag bus in tests with the core). */
    RecordingSink(TagSink next) {
        this.next = next;
    }

    @Override
    public boolean publish(TagValue value) {
        latest.put(value.tag(), value);
        history.add(value);
        count.incrementAndGet();
        if (next != null) {
            next.publish(value);
        }
        return true;
    }

    @Override
    public int publishAll(List<TagValue> values) {
        batches.incrementAndGet();
        for (TagValue v : values) {
            publish(v);
        }
        return values.size();
    }

    TagValue get(String tag) {
        return latest.get(tag);
    }
}
