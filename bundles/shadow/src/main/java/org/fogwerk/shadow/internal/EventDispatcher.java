package org.fogwerk.shadow.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells listeners about accepted updates, deltas and deletes on one thread of its own, in the
 * order the writer committed them. The queue is bounded: when listeners fall behind, new events
 * are dropped and counted rather than slowing the writer.
 */
final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    /** A document built only when an event is delivered, off the writer's thread. */
    interface Doc {
        ShadowDocument get();
    }

    private final List<ShadowListener> listeners = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor executor;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedLogged = new AtomicLong();
    private final LogThrottle dropLog = new LogThrottle(Duration.ofSeconds(30));

    EventDispatcher(int capacity) {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                DaemonThreads.named("fogwerk-shadow-events"), (r, e) -> drop());
    }

    void add(ShadowListener listener) {
        listeners.add(listener);
    }

    void remove(ShadowListener listener) {
        listeners.remove(listener);
    }

    void accepted(Doc previous, Doc current, boolean delta, String clientToken) {
        if (listeners.isEmpty()) {
            return;
        }
        execute(() -> {
            ShadowDocument before = previous == null ? null : previous.get();
            ShadowDocument after = current.get();
            for (ShadowListener l : listeners) {
                try {
                    l.accepted(before, after, clientToken);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("Shadow listener {} failed on an accepted update of {}/{}: {}", l, after.thing(),
                            after.shadow(), e.toString());
                }
                if (delta) {
                    try {
                        l.delta(after, clientToken);
                    } catch (RuntimeException | LinkageError e) {
                        LOG.warn("Shadow listener {} failed on a delta of {}/{}: {}", l, after.thing(), after.shadow(),
                                e.toString());
                    }
                }
            }
        });
    }

    void deleted(String thing, String shadow, long version, String clientToken) {
        if (listeners.isEmpty()) {
            return;
        }
        execute(() -> {
            for (ShadowListener l : listeners) {
                try {
                    l.deleted(thing, shadow, version, clientToken);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("Shadow listener {} failed on the delete of {}/{}: {}", l, thing, shadow, e.toString());
                }
            }
        });
    }

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            drop();
        }
    }

    private void drop() {
        long total = dropped.incrementAndGet();
        if (dropLog.admit() >= 0) {
            long since = total - droppedLogged.getAndSet(total);
            LOG.warn("Shadow listeners are too slow: {} events dropped since the last report, {} in total", since,
                    total);
        }
    }

    long dropped() {
        return dropped.get();
    }

    void stop() {
        executor.shutdownNow();
    }
}
