package org.fogwerk.support.shadow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.fogwerk.support.concurrent.DaemonThreads;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * What every place that serves shadow requests over MQTT shares (an uplink's command topic, the
 * local {@code $aws} shadow topics): the requests of one uplink are worked off in order on a
 * thread of their own, a request that finds the queue full is refused at once (429) rather than
 * held in memory, and a refusal is the error document of the AWS IoT Device Shadow service.
 */
public final class ShadowRequests implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

    private final ThreadPoolExecutor worker;

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
            worker.execute(request);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
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
