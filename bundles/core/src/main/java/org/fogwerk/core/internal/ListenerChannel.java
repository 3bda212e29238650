package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's bounded queue and the thread that feeds it. A listener that is slow or
 * throws hurts only itself: its queue fills and its own values are dropped and counted.
 */
final class ListenerChannel implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerChannel.class);
    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    final String name;
    private final TagListener listener;
    private final ArrayBlockingQueue<TagValue> queue;
    private final int batch;
    private final boolean dropOldest;
    private final Thread thread;
    private final LongAdder in = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean running = true;
    private long lastErrorLog = System.nanoTime() - ERROR_LOG_INTERVAL_NANOS;
    private long suppressedErrors;

    ListenerChannel(String name, TagListener listener, int capacity, int batch, boolean dropOldest) {
        this.name = name;
        this.listener = listener;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = batch;
        this.dropOldest = dropOldest;
        this.thread = new Thread(this, "fogwerk-bus-" + name);
        this.thread.setDaemon(true);
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
                    dropped.increment();
                    continue;
                }
                do {
                    if (queue.poll() != null) {
                        dropped.increment();
                    }
                } while (!queue.offer(v)); // the dispatcher is the only producer: ends at once
            }
        }
    }

    void stop() {
        running = false;
        thread.interrupt();
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
                TagValue first = queue.take();
                values.add(first);
                queue.drainTo(values, batch - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                listener.onValues(values);
                delivered.add(values.size());
            } catch (RuntimeException e) {
                logFailure(e, values.size());
            }
            values.clear();
        }
    }

    private void logFailure(RuntimeException e, int count) {
        long now = System.nanoTime();
        if (now - lastErrorLog >= ERROR_LOG_INTERVAL_NANOS) {
            LOG.error("Tag listener {} failed on {} values ({} more failures since the last report)", name, count,
                    suppressedErrors, e);
            lastErrorLog = now;
            suppressedErrors = 0;
        } else {
            suppressedErrors++;
        }
        dropped.add(count);
    }
}
