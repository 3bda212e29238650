package org.fogwerk.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's bounded queue and the thread that feeds it. A listener that is slow or
 * throws hurts only itself: its queue fills and its own values are dropped and counted, in
 * total and per connection the values came from. A queue that drops the newest values has
 * room for the initial value of every tag on top of its own capacity, so the start-up burst of
 * all connections fits however slowly the listener takes it.
 */
final class ListenerChannel implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerChannel.class);
    private static final Duration ERROR_LOG_INTERVAL = Duration.ofSeconds(30);

    /** How long a stop waits for the batch being delivered. */
    private static final long STOP_WAIT_MILLIS = 2000;

    final String name;
    private final TagListener listener;
    private final ElasticQueue<TagValue> queue;
    private final int capacity;
    private final int batch;
    private final boolean dropOldest;
    private final Thread thread;
    private final LongAdder in = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** Drops by the connection whose values were lost; an entry is made at a connection's first drop only. */
    private final Map<String, LongAdder> droppedByConnection = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final LogThrottle errorLog = new LogThrottle(ERROR_LOG_INTERVAL);

    ListenerChannel(String name, TagListener listener, int capacity, int batch, boolean dropOldest) {
        this.name = name;
        this.listener = listener;
        this.capacity = capacity;
        this.queue = new ElasticQueue<>(capacity);
        this.batch = batch;
        this.dropOldest = dropOldest;
        this.thread = new Thread(this, "fogwerk-bus-" + name);
        this.thread.setDaemon(true);
    }

    /** Makes room for one value of each of {@code tags} tags beyond the listener's own capacity. */
    void burstRoom(int tags) {
        if (!dropOldest) {
            queue.limit((int) Math.min(Integer.MAX_VALUE, (long) capacity + tags));
        }
    }

    int limit() {
        return queue.limit();
    }

    void start() {
        thread.start();
    }

    /** Called by the dispatcher only; never blocks. */
    void offer(List<TagValue> values) {
        for (int i = 0, n = values.size(); i < n; i++) {
            in.increment();
            TagValue v = values.get(i);
            if (!queue.offer(v)) {
                if (!dropOldest) {
                    drop(v);
                    continue;
                }
                do {
                    TagValue oldest = queue.poll();
                    if (oldest != null) {
                        drop(oldest);
                    }
                } while (!queue.offer(v)); // the dispatcher is the only producer: ends at once
            }
        }
    }

    private void drop(TagValue v) {
        dropped.increment();
        LongAdder perConnection = droppedByConnection.get(v.connectionId());
        if (perConnection == null) {
            perConnection = droppedByConnection.computeIfAbsent(v.connectionId(), c -> new LongAdder());
        }
        perConnection.increment();
    }

    /** Values dropped so far, per connection they came from, sorted by connection. */
    Map<String, Long> droppedByConnection() {
        Map<String, Long> result = new TreeMap<>();
        droppedByConnection.forEach((c, n) -> result.put(c, n.sum()));
        return result;
    }

    /**
     * Stops delivering. Values still waiting in the queue never reach the listener: they are
     * counted as dropped (a route file reloaded or removed with a backlog loses it, visibly).
     */
    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(STOP_WAIT_MILLIS); // the batch it holds is delivered or counted by it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = 0;
        for (TagValue v = queue.poll(); v != null; v = queue.poll()) {
            drop(v);
            left++;
        }
        if (left > 0) {
            LOG.warn("Tag listener {} stopped with {} values still waiting for it; they are counted as dropped", name,
                    left);
        }
    }

    TagListener listener() {
        return listener;
    }

    Counters counters() {
        return new Counters(in.sum(), delivered.sum(), dropped.sum(), 0);
    }

    @Override
    public void run() {
        List<TagValue> values = new ArrayList<>(batch);
        while (running) {
            try {
                if (queue.drainTo(values, batch, 1, TimeUnit.SECONDS) == 0) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                listener.onValues(values);
                delivered.add(values.size());
            } catch (RuntimeException e) {
                logFailure(e, values);
            }
            values.clear();
        }
    }

    private void logFailure(RuntimeException e, List<TagValue> values) {
        int count = values.size();
        long held = errorLog.admit();
        if (held >= 0) {
            LOG.error("Tag listener {} failed on {} values ({} more failures since the last report)", name, count,
                    held, e);
        }
        for (int i = 0; i < count; i++) {
            drop(values.get(i));
        }
    }
}
