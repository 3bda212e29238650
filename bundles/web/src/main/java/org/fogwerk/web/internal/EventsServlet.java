package org.fogwerk.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import javax.servlet.AsyncContext;
import javax.servlet.Servlet;
import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.fogwerk.support.concurrent.DaemonThreads;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /api/v1/events}: live tag values ({@code event: value}), connection and uplink
 * state changes ({@code event: state}) and the routes' alarm events ({@code event: alarm}) as
 * Server-Sent Events, filtered by the kinds in {@code events} and the {@code connection},
 * {@code thing} and {@code tag} globs. When the client's queue overflowed,
 * an {@code event: dropped} says how many events it has lost in all. Each client is written by
 * a thread of its own, so a slow one blocks only itself.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/api/v1/events",
    "osgi.http.whiteboard.servlet.asyncSupported=true",
    "osgi.http.whiteboard.servlet.name=fogwerk-events"})
public final class EventsServlet extends ReadOnlyServlet {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(EventsServlet.class);
    private static final int BATCH = 512;
    private static final long KEEP_ALIVE_SECONDS = 15;
    private static final byte[] VALUE_EVENT = "event: value\ndata: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.UTF_8);

    private final transient EventHub hub;
    private final transient ObjectMapper mapper = new ObjectMapper();
    private final transient Set<Thread> writers = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    @Activate
    public EventsServlet(@Reference EventHub hub) {
        this.hub = hub;
    }

    @Deactivate
    void deactivate() {
        running = false;
        writers.forEach(Thread::interrupt);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EventHub.Client client;
        try {
            client = hub.open(EventHub.Subscription.of(request), lastEventId(request));
        } catch (ApiException e) {
            Problems.write(request, response, e);
            return;
        }
        streamHeaders(response);
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = response.getOutputStream();
        Object user = request.getAttribute(AuthFilter.USER_ATTRIBUTE);
        Thread writer = DaemonThreads.named("fogwerk-events-" + (user instanceof WebUser ? ((WebUser) user).name()
                : "client")).newThread(() -> pump(client, async, out));
        writers.add(writer);
        writer.start();
    }

    /**
     * The headers a GET gets, after the same checks of the request, and nothing else: no stream is
     * opened, so a HEAD takes no client's place (a stream whose body nobody reads would never end).
     */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            EventHub.Subscription.of(request);
            hub.checkRoom();
        } catch (ApiException e) {
            Problems.write(request, response, e);
            return;
        }
        streamHeaders(response);
        // sent now, before the container could add the Content-Length: 0 of an empty body: the GET's
        // stream has no length (RFC 9110 9.3.2, a HEAD has the headers of the GET)
        response.flushBuffer();
    }

    private static void streamHeaders(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
    }

    private void pump(EventHub.Client client, AsyncContext async, ServletOutputStream out) {
        List<EventHub.Event> batch = new ArrayList<>(BATCH);
        TagJson json = new TagJson();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
        long saidDropped = 0;
        try {
            out.write("retry: 3000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (running) {
                EventHub.Event first = client.queue.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                buffer.reset();
                if (first == null) {
                    buffer.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    batch.add(first);
                    client.queue.drainTo(batch, BATCH - 1);
                    for (EventHub.Event e : batch) {
                        if (e.value() != null) {
                            buffer.write(VALUE_EVENT);
                            try (JsonGenerator g = mapper.getFactory().createGenerator(buffer)) {
                                json.value(g, e.value());
                            }
                            buffer.write(END_OF_EVENT);
                        } else {
                            event(buffer, e.name(), e.data());
                        }
                    }
                }
                long dropped = client.dropped.get();
                if (dropped != saidDropped) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("dropped", dropped);
                    m.put("reason", "this client did not keep up; the events queue holds "
                            + client.queue.remainingCapacity() + " more (events.queue)");
                    event(buffer, "dropped", m);
                    saidDropped = dropped;
                }
                buffer.writeTo(out);
                out.flush();
                hub.sent(batch.size());
                batch.clear();
            }
        } catch (IOException e) {
            LOG.debug("event stream client gone: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.close(client);
            writers.remove(Thread.currentThread());
            try {
                async.complete();
            } catch (IllegalStateException e) {
                LOG.debug("event stream already completed");
            }
        }
    }

    /**
     * The sequence of the last alarm event a reconnecting client had ({@code Last-Event-ID}, which
     * browsers send by themselves), -1 when it sends none or one that is not ours.
     */
    static long lastEventId(HttpServletRequest request) {
        String id = request.getHeader("Last-Event-ID");
        try {
            return id == null ? -1 : Math.max(-1, Long.parseLong(id.strip()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void event(ByteArrayOutputStream buffer, String name, Object data) throws IOException {
        // alarm events carry their sequence as id, so a client that reconnects gets those it missed
        Object sequence = data instanceof Map ? ((Map<?, ?>) data).get("sequence") : null;
        if (sequence != null) {
            buffer.write(("id: " + sequence + "\n").getBytes(StandardCharsets.UTF_8));
        }
        buffer.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        mapper.writeValue(buffer, data);
        buffer.write(END_OF_EVENT);
    }
}
