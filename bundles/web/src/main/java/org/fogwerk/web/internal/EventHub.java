package org.fogwerk.web.internal;

import static org.fogwerk.web.internal.WebConstants.parameter;

import java.util.HashMap;
import java.util.HashSet;
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

import javax.servlet.http.HttpServletRequest;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.alarm.AlarmEvent;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.LenientConfig;
import org.fogwerk.support.glob.Glob;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans live tag values, state changes and alarm events out to the clients of {@code /api/v1/events}.
 * It listens on the tag bus only while a client that wants values is connected. Each client has its own bounded queue: a
 * client that cannot keep up loses its own events (counted, and said in its stream), never
 * anyone else's, and the bus never waits for it.
 */
@Component(service = EventHub.class, configurationPid = WebConstants.PID)
public final class EventHub {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    /** Kinds of event a client may ask for with {@code events=}. */
    static final String VALUE = "value";
    static final String STATE = "state";
    static final String ALARM = "alarm";
    private static final Set<String> KINDS = Set.of(VALUE, STATE, ALARM);

    /** What a client asked to see: the kinds of event, and globs over connection, thing and tag. */
    record Subscription(Glob connection, Glob thing, Glob tag, Set<String> kinds) {

        /** Every kind of event. */
        Subscription(Glob connection, Glob thing, Glob tag) {
            this(connection, thing, tag, KINDS);
        }

        /** From a request's {@code connection}, {@code thing}, {@code tag} and {@code events} parameters. */
        static Subscription of(HttpServletRequest request) throws ApiException {
            String events = parameter(request, "events");
            Set<String> kinds = KINDS;
            if (events != null && !events.isBlank()) {
                kinds = new HashSet<>();
                for (String k : events.split(",")) {
                    String kind = k.trim();
                    if (!KINDS.contains(kind)) {
                        throw ApiException.badRequest("events: '" + kind + "' is not value, state or alarm", "events");
                    }
                    kinds.add(kind);
                }
            }
            return new Subscription(Glob.of(parameter(request, "connection")), Glob.of(parameter(request, "thing")),
                    Glob.of(parameter(request, "tag")), Set.copyOf(kinds));
        }

        boolean wantsValues() {
            return kinds.contains(VALUE);
        }

        /** An alarm event: its connection, its thing, and its tag or the tag it is sent as must match. */
        boolean wants(AlarmEvent e, String thingOfEvent) {
            return kinds.contains(ALARM) && connection.matches(e.connection()) && thing.matches(thingOfEvent)
                    && (tag.matches(e.tag()) || tag.matches(e.alarmTag()));
        }
    }

    /** One event for a client: a tag value, or a named event with its data (a state change, an alarm). */
    record Event(TagValue value, String name, Map<String, Object> data) {
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
            if (!s.wantsValues() || !s.connection().matches(v.connectionId()) || !s.tag().matches(v.tag())) {
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
    /**
     * Since the bundle started, over every hub: saving {@code etc/org.fogwerk.web.cfg} makes a new
     * hub, and a counter of {@code /metrics} must not go down with it.
     */
    private static final LongAdder droppedTotal = new LongAdder();
    private static final LongAdder sentTotal = new LongAdder();
    private final ScheduledExecutorService stateWatch;
    private final Map<String, String> lastStates = new HashMap<>();
    /** The sequence of the newest alarm event handed on; -1 before the first look. */
    private long alarmsSeen = -1;
    private ServiceRegistration<TagListener> listener;

    @Activate
    public EventHub(BundleContext context, @Reference Node node, WebConfig config) {
        this(context, node, (config = LenientConfig.of(WebConfig.class, config, WebConstants.FILE)).events_queue(),
                config.events_clients());
    }

    public EventHub(BundleContext context, Node node, int queueCapacity, int maxClients) {
        this.context = context;
        this.node = node;
        this.queueCapacity = queueCapacity;
        this.maxClients = maxClients;
        this.stateWatch = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-events-state"));
        stateWatch.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    public void deactivate() {
        stateWatch.shutdownNow();
        synchronized (this) {
            unregister();
        }
    }

    /** 429 when the most clients are connected already. */
    synchronized void checkRoom() throws ApiException {
        if (clients.size() >= maxClients) {
            throw new ApiException(429, "already " + maxClients + " event stream clients (events.clients in etc/"
                    + WebConstants.PID + ".cfg)");
        }
    }

    /** Connects a client; 429 when the most clients are connected already. */
    synchronized Client open(Subscription subscription) throws ApiException {
        return open(subscription, -1);
    }

    /**
     * Connects a client that reconnects after the alarm event {@code lastAlarm} (its
     * {@code Last-Event-ID}): the alarm events it missed meanwhile, as far as the node keeps them,
     * come first; -1 for a new client.
     */
    synchronized Client open(Subscription subscription, long lastAlarm) throws ApiException {
        checkRoom();
        Client c = new Client(subscription, queueCapacity);
        if (lastAlarm >= 0 && subscription.kinds().contains(ALARM)) {
            node.ifAny(Node.ALARMS).ifPresent(log -> log.after(lastAlarm).stream()
                    .filter(e -> e.sequence() <= alarmsSeen || alarmsSeen < 0).forEach(e -> {
                        String thing = e.thing().isEmpty() ? node.thingOf(e.connection(), e.tag()) : e.thing();
                        if (subscription.wants(e, thing)) {
                            c.offer(new Event(null, ALARM, Views.alarm(e, thing)));
                        }
                    }));
        }
        clients.add(c);
        // a client without values (the console's overview) costs the bus nothing
        if (listener == null && context != null && subscription.wantsValues()) {
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
        if (clients.stream().noneMatch(other -> other.subscription.wantsValues())) {
            unregister();
        }
    }

    /** Hands values to every client that wants them; called by the bus from its listener thread. */
    public void deliver(List<TagValue> values) {
        for (Client c : clients) {
            for (int i = 0, n = values.size(); i < n; i++) {
                TagValue v = values.get(i);
                if (c.wants(v)) {
                    c.offer(new Event(v, VALUE, null));
                }
            }
        }
    }

    void sent(long events) {
        sentTotal.add(events);
    }

    public int clientCount() {
        return clients.size();
    }

    long droppedTotal() {
        return droppedTotal.sum();
    }

    long sentTotal() {
        return sentTotal.sum();
    }

    /** Once a second: state changes and new alarm events. */
    private void watch() {
        watchStates();
        watchAlarms();
    }

    /** Hands the alarm events that came since the last look to the clients that want them. */
    void watchAlarms() {
        try {
            node.ifAny(Node.ALARMS).ifPresentOrElse(log -> {
                List<AlarmEvent> newest = log.recent(1);
                long top = newest.isEmpty() ? 0 : newest.get(0).sequence();
                if (alarmsSeen < 0 || clients.isEmpty()) {
                    // what happened before is in GET /api/v1/alarms; the stream tells what is new
                    alarmsSeen = top;
                    return;
                }
                if (top < alarmsSeen) {
                    // the routing rules started again, and their log with them
                    alarmsSeen = 0;
                }
                for (AlarmEvent e : log.after(alarmsSeen)) {
                    alarmsSeen = e.sequence();
                    String thing = e.thing().isEmpty() ? node.thingOf(e.connection(), e.tag()) : e.thing();
                    Event event = null;
                    for (Client c : clients) {
                        if (c.subscription.wants(e, thing)) {
                            event = event == null ? new Event(null, ALARM, Views.alarm(e, thing)) : event;
                            c.offer(event);
                        }
                    }
                }
            }, () -> alarmsSeen = 0);
        } catch (RuntimeException e) {
            LOG.debug("alarm watch failed: {}", e.toString());
        }
    }

    /** Compares connection and uplink states with the last look, and tells clients of each change. */
    void watchStates() {
        try {
            node.ifAny(Node.CONNECTORS).ifPresent(r -> {
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
        Event e = new Event(null, STATE, m);
        for (Client c : clients) {
            if (c.subscription.kinds().contains(STATE)
                    && (!"connector".equals(kind) || c.subscription.connection().matches(name))) {
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
