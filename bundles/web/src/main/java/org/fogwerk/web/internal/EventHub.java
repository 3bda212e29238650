package org.fogwerk.web.internal;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.uplink.Uplink;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans live tag values and state changes out to the clients of {@code /api/v1/events}. It listens
 * on the tag bus only while a client is connected. Each client has its own bounded queue: a
 * client that cannot keep up loses its own events (counted, and said in its stream), never
 * anyone else's, and the bus never waits for it.
 */
@Component(service = EventHub.class, configurationPid = WebConstants.PID)
public final class EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    /** What a client asked to see. */
    record Subscription(Glob connection, Glob thing, Glob tag) {
    }

    /** One event for a client: a tag value, or a state change (kind, name, state, reason, since). */
    record Event(TagValue value, Map<String, Object> state) {
    }

    /** One connected client. */
    final class Client {
        final Subscription subscription;
        final BlockingQueue<Event> queue;
        final AtomicLong dropped = new AtomicLong();
        private final Map<String, Boolean> thingMatches = new ConcurrentHashMap<>();

        Client(Subscription subscription, int capacity) {
            this.subscription = subscription;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        void offer(Event e) {
            if (!queue.offer(e)) {
                dropped.incrementAndGet();
                droppedTotal.increment();
            }
        }

        boolean wants(TagValue v) {
            Subscription s = subscription;
            if (!s.connection().matches(v.connectionId()) || !s.tag().matches(v.tag())) {
                return false;
            }
            if (s.thing().matchesAll()) {
                return true;
            }
            String key = v.connectionId() + '\u0000' + v.tag();
            Boolean known = thingMatches.get(key);
            if (known == null) {
                known = feedsMatchingThing(v);
                if (thingMatches.size() < 100_000) {
                    thingMatches.put(key, known);
                }
            }
            return known;
        }

        private boolean feedsMatchingThing(TagValue v) {
            ThingRegistry things = node.things;
            if (things == null) {
                return false;
            }
            for (ThingRegistry.Target t : things.targets(v.connectionId(), v.tag())) {
                if (subscription.thing().matches(t.thing())) {
                    return true;
                }
            }
            return false;
        }
    }

    private final BundleContext context;
    private final Node node;
    private final int queueCapacity;
    private final int maxClients;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final LongAdder droppedTotal = new LongAdder();
    private final LongAdder sentTotal = new LongAdder();
    private final ScheduledExecutorService stateWatch;
    private final Map<String, String> lastStates = new HashMap<>();
    private ServiceRegistration<TagListener> listener;

    @Activate
    public EventHub(BundleContext context, @Reference Node node, WebConfig config) {
        this(context, node, config.events_queue(), config.events_clients());
    }

    EventHub(BundleContext context, Node node, int queueCapacity, int maxClients) {
        this.context = context;
        this.node = node;
        this.queueCapacity = queueCapacity;
        this.maxClients = maxClients;
        this.stateWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fogwerk-events-state");
            t.setDaemon(true);
            return t;
        });
        stateWatch.scheduleWithFixedDelay(this::watchStates, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        stateWatch.shutdownNow();
        synchronized (this) {
            unregister();
        }
    }

    /** Connects a client; 429 when the most clients are connected already. */
    synchronized Client open(Subscription subscription) throws ApiException {
        if (clients.size() >= maxClients) {
            throw new ApiException(429, "already " + maxClients + " event stream clients (events.clients in etc/"
                    + WebConstants.PID + ".cfg)");
        }
        Client c = new Client(subscription, queueCapacity);
        clients.add(c);
        if (listener == null && context != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("component.name", "org.fogwerk.web.events");
            // the hub only hands values on to the clients' queues: a small bus queue suffices
            props.put(TagListener.QUEUE_CAPACITY_PROPERTY, 10_000);
            props.put(TagListener.OVERFLOW_PROPERTY, TagListener.DROP_OLDEST);
            listener = context.registerService(TagListener.class, this::deliver, props);
        }
        return c;
    }

    synchronized void close(Client c) {
        clients.remove(c);
        if (clients.isEmpty()) {
            unregister();
        }
    }

    /** Hands values to every client that wants them; called by the bus from its listener thread. */
    void deliver(List<TagValue> values) {
        for (Client c : clients) {
            for (int i = 0, n = values.size(); i < n; i++) {
                TagValue v = values.get(i);
                if (c.wants(v)) {
                    c.offer(new Event(v, null));
                }
            }
        }
    }

    void sent(long events) {
        sentTotal.add(events);
    }

    int clientCount() {
        return clients.size();
    }

    long droppedTotal() {
        return droppedTotal.sum();
    }

    long sentTotal() {
        return sentTotal.sum();
    }

    /** Compares connection and uplink states with the last look, and tells clients of each change. */
    void watchStates() {
        try {
            node.connectorsIfAny().ifPresent(r -> {
                for (ConnectorInfo c : r.connectors()) {
                    changed("connector", c.id(), c.status().state().name(), c.status().reason(),
                            c.status().since().toString());
                }
            });
            for (Uplink u : node.uplinks()) {
                var s = u.status();
                changed("uplink", u.name(), s.state().name(), s.lastError(), s.since() == null ? "" : s.since().toString());
            }
        } catch (RuntimeException e) {
            LOG.debug("state watch failed: {}", e.toString());
        }
    }

    private void changed(String kind, String name, String state, String reason, String since) {
        String key = kind + ":" + name;
        String now = state + "|" + reason;
        String before = lastStates.put(key, now);
        if (Objects.equals(before, now) || before == null && clients.isEmpty()) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("name", name);
        m.put("state", state);
        m.put("reason", reason);
        m.put("since", since);
        Event e = new Event(null, m);
        for (Client c : clients) {
            if (!"connector".equals(kind) || c.subscription.connection().matches(name)) {
                c.offer(e);
            }
        }
    }

    private void unregister() {
        if (listener != null) {
            try {
                listener.unregister();
            } catch (IllegalStateException e) {
                LOG.debug("event listener already gone");
            }
            listener = null;
        }
    }
}
