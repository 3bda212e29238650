package org.fogwerk.core.internal;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;

/**
 * The bounded queue of one connection, between its connector and the dispatcher. Its bound
 * follows the connection's tag count, so the initial value of every tag fits at once.
 */
final class ConnectionQueue {

    final String connectionId;
    private final ElasticQueue<TagValue> queue;
    private final LongAdder in = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    final RateMeter rate = new RateMeter();

    ConnectionQueue(String connectionId, int capacity) {
        this.connectionId = connectionId;
        this.queue = new ElasticQueue<>(capacity);
    }

    boolean offer(TagValue value) {
        in.increment();
        if (queue.offer(value)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    int drainTo(List<TagValue> target, int max) {
        int n = queue.drainTo(target, max);
        delivered.add(n);
        return n;
    }

    /** Sets how many values may wait. */
    void capacity(int capacity) {
        queue.limit(capacity);
    }

    int capacity() {
        return queue.limit();
    }

    int depth() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long inCount() {
        return in.sum();
    }

    Counters counters() {
        return new Counters(in.sum(), delivered.sum(), dropped.sum(), rate.perSecond());
    }
}
