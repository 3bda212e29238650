package org.fogwerk.core.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;

/** The bounded queue of one connection, between its connector and the dispatcher. */
final class ConnectionQueue {

    final String connectionId;
    private final ArrayBlockingQueue<TagValue> queue;
    private final LongAdder in = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    final RateMeter rate = new RateMeter();

    ConnectionQueue(String connectionId, int capacity) {
        this.connectionId = connectionId;
        this.queue = new ArrayBlockingQueue<>(capacity);
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
