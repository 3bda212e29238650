package org.fogwerk.support.shadow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.log.LogThrottle;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * What every place that serves shadow requests over MQTT shares (an uplink's command topic, the
 * local {@code $aws} shadow topics): the requests of one uplink are worked off in order on a
 * thread of their own, a request that finds the queue full is refused at once (429) rather than
 * held in memory, and a refusal is the error document of the AWS IoT Device Shadow service.
 *
 * <p>A request refused for a full queue is recorded all the same, on the worker once it has
 * room: requests alike (same thing, shadow and operation) refused in between make one record
 * with their number, so a flood of requests cannot flood the audit trail in turn.
 */
public final class ShadowRequests implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    /** At most this many kinds of refused requests wait to be recorded; more are only counted in the log. */
    static final int MAX_PENDING = 1000;

    /** Records requests refused for a full queue. */
    @FunctionalInterface
    public interface Overflow {
        /** Records {@code count} requests alike that found the queue full; runs on the worker. */
        void record(long count);
    }

    private record Pending(Overflow record, long count) {
        Pending plus(Pending other) {
            return new Pending(record, count + other.count);
        }
    }

    private final ThreadPoolExecutor worker;
    private final Map<String, Pending> overflowed = new ConcurrentHashMap<>();
    private final Runnable drain = this::drain;
    private final LogThrottle unrecorded = new LogThrottle(Duration.ofMinutes(1));

    /**
     * @param threadName the name of the thread that works off the requests
     * @param capacity   how many requests may wait
     */
    public ShadowRequests(String threadName, int capacity) {
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                DaemonThreads.named(threadName));
    }

    /**
     * Queues a request.
     *
     * @return {@code false} when it is refused: the queue is full, or closed
     */
    public boolean offer(Runnable request) {
        try {
            worker.execute(() -> {
                drain();
                request.run();
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Queues a request; when the queue is full the request is refused ({@code false}, answer it
     * with 429) and {@code record} is kept to record it on the worker as soon as it has room.
     *
     * @param alike  what makes requests alike (thing, shadow, operation): those refused in a row
     *               are recorded once, with their number
     * @return {@code false} when it is refused: the queue is full, or closed
     */
    public boolean offer(Runnable request, String alike, Overflow record) {
        if (offer(request)) {
            return true;
        }
        if (worker.isShutdown()) {
            return false;
        }
        if (overflowed.size() < MAX_PENDING || overflowed.containsKey(alike)) {
            overflowed.merge(alike, new Pending(record, 1), Pending::plus);
        } else {
            long held = unrecorded.admit();
            if (held >= 0) {
                LoggerFactory.getLogger(ShadowRequests.class).warn("{} request(s) refused for a full queue not recorded"
                        + " in the audit trail: {} kinds of refused requests already wait to be recorded", held + 1,
                        MAX_PENDING);
            }
        }
        // queued behind the full queue's requests, each of which records what waits before it runs:
        // when this is refused too, one of them still comes after the count above
        offer(drain);
        return false;
    }

    private void drain() {
        if (overflowed.isEmpty()) {
            return;
        }
        for (String alike : overflowed.keySet()) {
            Pending p = overflowed.remove(alike);
            if (p != null) {
                try {
                    p.record().record(p.count());
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(ShadowRequests.class).warn("Cannot record {} refused request(s): {}",
                            p.count(), e.toString());
                }
            }
        }
    }

    /** Stops the worker; requests still waiting are dropped. */
    @Override
    public void close() {
        worker.shutdownNow();
    }

    /**
     * The error document of a refused request:
     * {@code {"code":404,"message":"...","timestamp":<seconds>,"clientToken":"..."}}, the client
     * token only when there is one.
     */
    public static byte[] error(int code, String message, String clientToken) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("code", code);
            g.writeStringField("message", message == null ? "" : message);
            g.writeNumberField("timestamp", System.currentTimeMillis() / 1000);
            if (clientToken != null) {
                g.writeStringField("clientToken", clientToken);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
