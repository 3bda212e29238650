package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tag bus. Connectors publish into one bounded queue per connection; a single dispatcher
 * thread takes at most a batch from each connection in turn, so a chatty machine cannot starve
 * a quiet one, keeps the latest value of every tag and hands each batch to every listener's
 * own bounded queue. Nothing on the way blocks a producer: a full queue drops and counts, per
 * connection and per listener.
 *
 * <p>Queues are sized for the tags the connections have, since a connection that comes up sends
 * the initial value of every tag at once: a connection's queue takes at least two values per tag,
 * and a listener's queue (unless it drops the oldest on purpose) has room for one value of every
 * tag of the node beyond its own capacity. Queues allocate only while values wait.
 */
@Component(service = {TagSink.class, TagBus.class}, immediate = true, configurationPid = "org.fogwerk.core.bus")
@Designate(ocd = TagBusConfig.class)
public final class TagBusImpl implements TagSink, TagBus {

    private static final Logger LOG = LoggerFactory.getLogger(TagBusImpl.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int connectionCapacity;
    private final int batch;
    private final int listenerCapacity;
    private final Map<String, ConnectionQueue> queues = new ConcurrentHashMap<>();
    /** Queues in the order the dispatcher serves them; grows only. */
    private final List<ConnectionQueue> order = new CopyOnWriteArrayList<>();
    private final Map<TagListener, ListenerChannel> listeners = new ConcurrentHashMap<>();
    private final List<ListenerChannel> channels = new CopyOnWriteArrayList<>();
    /**
     * What the listeners that went counted, by name: a route file or an uplink reloaded comes back
     * under its name and counts on, and the bus's totals never go down.
     */
    private final Map<String, Counters> retired = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> retiredDrops = new ConcurrentHashMap<>();
    private final List<ListenerChannel> stopping = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, TagValue>> latest = new ConcurrentHashMap<>();
    /** Listeners that asked for the latest values, handed them by the dispatcher before anything newer. */
    private final Queue<ListenerChannel> replays = new ConcurrentLinkedQueue<>();
    /** Tag count of every connector service; a refused duplicate has its own entry. */
    private final Map<Connector, Integer> connectorTags = new ConcurrentHashMap<>();
    private volatile Map<String, Integer> tagsByConnection = Map.of();
    private final RateMeter totalRate = new RateMeter();
    private final Thread dispatcher;
    private final ScheduledExecutorService meter;
    private volatile boolean running = true;
    private volatile boolean dispatcherParked;

    @Activate
    public TagBusImpl(TagBusConfig config) {
        config = LenientConfig.of(TagBusConfig.class, config, "etc/org.fogwerk.core.bus.cfg");
        this.connectionCapacity = config.connection_capacity();
        this.batch = config.dispatch_batch();
        this.listenerCapacity = config.listener_capacity();
        this.dispatcher = new Thread(this::dispatch, "fogwerk-bus-dispatcher");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
        this.meter = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-bus-meter"));
        this.meter.scheduleAtFixedRate(this::measure, 1, 1, TimeUnit.SECONDS);
        LOG.info("Tag bus started: {} values per connection queue, {} per listener queue, batches of {}",
                connectionCapacity, listenerCapacity, batch);
    }

    @Deactivate
    public void deactivate() {
        running = false;
        LockSupport.unpark(dispatcher);
        meter.shutdownNow();
        try {
            dispatcher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.forEach(ListenerChannel::stop);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addListener(TagListener listener, Map<String, Object> properties) {
        int capacity = listenerCapacity;
        Object requested = properties.get(TagListener.QUEUE_CAPACITY_PROPERTY);
        if (requested != null) {
            try {
                capacity = Math.max(16, Integer.parseInt(requested.toString()));
            } catch (NumberFormatException e) {
                LOG.warn("Tag listener {}: {} = {} is not a number, using {}", name(listener, properties),
                        TagListener.QUEUE_CAPACITY_PROPERTY, requested, listenerCapacity);
            }
        }
        Object overflow = properties.get(TagListener.OVERFLOW_PROPERTY);
        boolean dropOldest = TagListener.DROP_OLDEST.equals(overflow);
        if (overflow != null && !dropOldest && !TagListener.DROP_NEWEST.equals(overflow)) {
            LOG.warn("Tag listener {}: {} = {} is not {} or {}, using {}", name(listener, properties),
                    TagListener.OVERFLOW_PROPERTY, overflow, TagListener.DROP_NEWEST, TagListener.DROP_OLDEST,
                    TagListener.DROP_NEWEST);
        }
        ListenerChannel channel = new ListenerChannel(name(listener, properties), listener, capacity, batch,
                dropOldest);
        synchronized (this) { // with resize(), so no change of the tag counts is missed
            channel.burstRoom(totalTags());
            listeners.put(listener, channel);
            channels.add(channel);
        }
        channel.start();
        if (TagListener.REPLAY_LATEST.equals(properties.get(TagListener.REPLAY_PROPERTY))) {
            replays.add(channel);
            wakeDispatcher();
        }
    }

    public void removeListener(TagListener listener) {
        ListenerChannel channel = listeners.remove(listener);
        if (channel != null) {
            // counted as stopping while it stops (up to a couple of seconds): its counts never leave the totals
            synchronized (retired) {
                channels.remove(channel);
                stopping.add(channel);
            }
            channel.stop();
            synchronized (retired) {
                stopping.remove(channel);
                retired.merge(channel.name, channel.counters(), TagBusImpl::sum);
                Map<String, Long> drops = channel.droppedByConnection();
                if (!drops.isEmpty()) {
                    retiredDrops.merge(channel.name, drops, TagBusImpl::sum);
                }
            }
        }
    }

    /** Only to size the queues for each connection's tags before its first values come. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addConnector(Connector connector) {
        connectorTags.put(connector, connector.tags().size());
        resize();
    }

    void removeConnector(Connector connector) {
        connectorTags.remove(connector);
        resize();
    }

    private synchronized void resize() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        connectorTags.forEach((c, n) -> counts.merge(c.id(), n, Math::max));
        tagsByConnection = counts;
        queues.forEach((id, q) -> q.capacity(connectionLimit(id)));
        int total = totalTags();
        channels.forEach(ch -> ch.burstRoom(total));
    }

    private int connectionLimit(String connectionId) {
        int tags = tagsByConnection.getOrDefault(connectionId, 0);
        return (int) Math.max(connectionCapacity, Math.min(Integer.MAX_VALUE, 2L * tags));
    }

    private int totalTags() {
        long total = 0;
        for (int n : tagsByConnection.values()) {
            total += n;
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    @Override
    public boolean publish(TagValue value) {
        boolean taken = queue(value.connectionId()).offer(value);
        wakeDispatcher();
        return taken;
    }

    @Override
    public int publishAll(List<TagValue> values) {
        int taken = 0;
        ConnectionQueue q = null;
        for (int i = 0, n = values.size(); i < n; i++) {
            TagValue v = values.get(i);
            if (q == null || !q.connectionId.equals(v.connectionId())) {
                q = queue(v.connectionId());
            }
            if (q.offer(v)) {
                taken++;
            }
        }
        wakeDispatcher();
        return taken;
    }

    @Override
    public Counters total() {
        long in = 0;
        long delivered = 0;
        long dropped = 0;
        for (ConnectionQueue q : order) {
            Counters c = q.counters();
            in += c.in();
            delivered += c.delivered();
            dropped += c.dropped();
        }
        synchronized (retired) {
            for (ListenerChannel ch : counted()) {
                dropped += ch.counters().dropped();
            }
            for (Counters c : retired.values()) {
                dropped += c.dropped();
            }
        }
        return new Counters(in, delivered, dropped, totalRate.perSecond());
    }

    /** The listeners whose counts are their own yet: the working ones and those stopping. Under {@code retired}. */
    private List<ListenerChannel> counted() {
        if (stopping.isEmpty()) {
            return channels;
        }
        List<ListenerChannel> all = new ArrayList<>(channels);
        all.addAll(stopping);
        return all;
    }

    @Override
    public Map<String, Counters> connections() {
        Map<String, Counters> result = new TreeMap<>();
        queues.forEach((id, q) -> result.put(id, q.counters()));
        return result;
    }

    @Override
    public Map<String, Counters> listeners() {
        synchronized (retired) {
            Map<String, Counters> result = new TreeMap<>(retired);
            for (ListenerChannel ch : counted()) {
                result.merge(ch.name, ch.counters(), TagBusImpl::sum);
            }
            return result;
        }
    }

    @Override
    public Map<String, Map<String, Long>> listenerDrops() {
        synchronized (retired) {
            Map<String, Map<String, Long>> result = new TreeMap<>(retiredDrops);
            for (ListenerChannel ch : counted()) {
                Map<String, Long> byConnection = ch.droppedByConnection();
                if (!byConnection.isEmpty()) {
                    result.merge(ch.name, byConnection, TagBusImpl::sum);
                }
            }
            return result;
        }
    }

    private static Counters sum(Counters a, Counters b) {
        return new Counters(a.in() + b.in(), a.delivered() + b.delivered(), a.dropped() + b.dropped(), 0);
    }

    private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new TreeMap<>(a);
        b.forEach((c, n) -> sum.merge(c, n, Long::sum));
        return sum;
    }

    /** How many values may wait for a listener and for a connection; for tests. */
    int listenerLimit(TagListener listener) {
        return listeners.get(listener).limit();
    }

    int connectionQueueLimit(String connectionId) {
        return queue(connectionId).capacity();
    }

    @Override
    public List<TagValue> latest(String connectionId) {
        Map<String, TagValue> tags = latest.get(connectionId);
        if (tags == null) {
            return List.of();
        }
        List<TagValue> result = new ArrayList<>(tags.values());
        result.sort(Comparator.comparing(TagValue::tag));
        return result;
    }

    @Override
    public Optional<TagValue> latest(String connectionId, String tag) {
        Map<String, TagValue> tags = latest.get(connectionId);
        return tags == null ? Optional.empty() : Optional.ofNullable(tags.get(tag));
    }

    private ConnectionQueue queue(String connectionId) {
        ConnectionQueue q = queues.get(connectionId);
        if (q == null) {
            q = queues.computeIfAbsent(connectionId, id -> {
                ConnectionQueue created = new ConnectionQueue(id, connectionLimit(id));
                order.add(created);
                return created;
            });
        }
        return q;
    }

    private void wakeDispatcher() {
        if (dispatcherParked) {
            LockSupport.unpark(dispatcher);
        }
    }

    private void dispatch() {
        List<TagValue> drained = new ArrayList<>(batch);
        while (running) {
            boolean worked = replayLatest();
            for (ConnectionQueue q : order) {
                if (q.drainTo(drained, batch) > 0) {
                    worked = true;
                    deliver(q.connectionId, drained);
                    drained.clear();
                }
            }
            if (!worked) {
                // Announce the park before the last look, so a publisher either sees the flag or
                // its value is seen here: no wake-up is lost.
                dispatcherParked = true;
                if (allEmpty() && replays.isEmpty() && running) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
                dispatcherParked = false;
            }
        }
    }

    private void deliver(String connectionId, List<TagValue> values) {
        Map<String, TagValue> tags = latest.get(connectionId);
        if (tags == null) {
            tags = latest.computeIfAbsent(connectionId, id -> new ConcurrentHashMap<>());
        }
        for (int i = 0, n = values.size(); i < n; i++) {
            TagValue v = values.get(i);
            tags.put(v.tag(), v);
        }
        for (ListenerChannel ch : channels) {
            ch.offer(values);
        }
    }

    /**
     * Hands each listener that asked for it the latest value of every tag. Only the dispatcher
     * offers to a channel and updates the latest values, so what it hands is never older than
     * what the listener already got.
     */
    private boolean replayLatest() {
        boolean any = false;
        for (ListenerChannel ch = replays.poll(); ch != null; ch = replays.poll()) {
            any = true;
            if (!channels.contains(ch)) {
                continue; // gone again
            }
            for (Map<String, TagValue> tags : latest.values()) {
                if (!tags.isEmpty()) {
                    ch.offer(new ArrayList<>(tags.values()));
                }
            }
        }
        return any;
    }

    private boolean allEmpty() {
        for (ConnectionQueue q : order) {
            if (!q.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private void measure() {
        long now = System.nanoTime();
        long total = 0;
        for (ConnectionQueue q : order) {
            long in = q.inCount();
            q.rate.tick(in, now);
            total += in;
        }
        totalRate.tick(total, now);
    }

    private static String name(TagListener listener, Map<String, Object> properties) {
        Object name = properties.get("component.name");
        return name != null ? name.toString() : listener.getClass().getName();
    }
}
