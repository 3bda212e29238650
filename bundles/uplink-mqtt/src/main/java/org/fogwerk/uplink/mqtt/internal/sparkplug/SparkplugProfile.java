package org.fogwerk.uplink.mqtt.internal.sparkplug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.uplink.mqtt.internal.ConfigException;
import org.fogwerk.uplink.mqtt.internal.Profile;
import org.fogwerk.uplink.mqtt.internal.ProfileContext;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * {@code profile = sparkplug}: the node is a Sparkplug B edge node and each thing a device.
 *
 * <p>Values are stored in the outbox as DDATA payloads per device (metrics by alias, without
 * {@code seq}); {@link #send} adds {@code seq} in send order, marks replays
 * {@code is_historical}, and sends a DBIRTH first when the device is not born in this session
 * or the message carries a metric its birth did not list. Births, DDEATH, {@code seq} and the
 * data stream share one lock, so {@code seq} runs 0..255 without gaps in the order the broker
 * receives the messages.
 */
public final class SparkplugProfile implements Profile {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugProfile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REBIRTH = "Node Control/Rebirth";
    static final String BD_SEQ = "bdSeq";
    private static final int HEADER = 8;

    private final ProfileContext ctx;
    private final UplinkSettings s;
    private final SparkplugSettings sp;
    private final MetricTable metrics;
    private final DeviceCommands commands;
    private final Path bdSeqFile;
    private final ScheduledExecutorService checker;
    private final ThreadPoolExecutor incoming;
    private final Map<String, String> dataTopics = new ConcurrentHashMap<>();
    private final Function<String, String> dataTopic;
    /** connection -> tag -> metric: the hot path's lookup. */
    private final Map<String, Map<String, MetricTable.Def>> byTag = new ConcurrentHashMap<>();
    private final String dcmdPrefix;
    /** Aliases whose values did not fit their datatype, each logged once. */
    private final Set<Long> misfits = ConcurrentHashMap.newKeySet();

    /** Guards seq, the devices and every publish of this profile, so seq follows the broker's order. */
    private final Object lock = new Object();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private MqttAsyncClient session;
    private int seq;
    private volatile int bdSeq;
    private volatile boolean ready;
    /** The births of this session failed: the device check tries again. */
    private volatile boolean birthsFailed;
    /** The NBIRTH of this session is out and the device births wait for the devices to settle. */
    private volatile boolean settling;
    private long settleDeadline;
    private String settleReason = "";
    private volatile boolean hostOnline;
    private long hostTimestamp = Long.MIN_VALUE;
    private volatile boolean nextServer;
    /** Whether the bdSeq in use went out in a CONNECT that got a session: the next CONNECT takes a new one. */
    private volatile boolean bdSeqUsed = true;
    private volatile Consumer<String> restart = reason -> { };

    /** A device in the current session. */
    private static final class Device {
        boolean born;
        /** Every metric of the device with a smaller alias was in its birth. */
        long watermark;
    }

    public SparkplugProfile(ProfileContext context) throws ConfigException {
        this.ctx = context;
        this.s = context.settings();
        this.sp = new SparkplugSettings(context.config(), s.node);
        this.dcmdPrefix = sp.dcmdFilter.substring(0, sp.dcmdFilter.length() - 1);
        this.dataTopic = device -> sp.deviceTopic("DDATA", device);
        try {
            this.metrics = new MetricTable(context.dataDir());
            this.bdSeqFile = context.dataDir().resolve("bdseq");
            this.bdSeq = readBdSeq(bdSeqFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Sparkplug state in " + context.dataDir(), e);
        }
        this.commands = new DeviceCommands(s.name, metrics, context);
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fogwerk-uplink-" + s.name + "-devices"));
        this.incoming = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
                r -> daemon(r, "fogwerk-uplink-" + s.name + "-sparkplug"));
        checker.scheduleWithFixedDelay(this::checkDevices, sp.deviceCheckMs, sp.deviceCheckMs, TimeUnit.MILLISECONDS);
        LOG.info("Uplink {}: Sparkplug B edge node {}/{}{}", s.name, sp.group, sp.edgeNode,
                sp.primaryHost.isEmpty() ? "" : ", primary host " + sp.primaryHost);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- outbox payloads --------------------------------------------------------------------

    @Override
    public boolean batched() {
        return true;
    }

    @Override
    public boolean commands() {
        return false;
    }

    @Override
    public Encoder encoder() {
        return new Encoder() {
            @Override
            public String topic(String connection, String thing, TagValue v) {
                return dataTopics.computeIfAbsent(SparkplugSettings.deviceId(thing), dataTopic);
            }

            @Override
            public byte[] single(TagValue v, String thing) {
                return encode(thing, List.of(v));
            }

            @Override
            public byte[] batch(String thing, List<TagValue> values) {
                return encode(thing, values);
            }
        };
    }

    /** A DDATA payload without seq, behind the highest alias it uses (8 bytes). */
    byte[] encode(String thing, List<TagValue> values) {
        String device = SparkplugSettings.deviceId(thing);
        Payload.Builder p = Payload.newBuilder().setTimestamp(System.currentTimeMillis());
        long maxAlias = 0;
        for (int i = 0, n = values.size(); i < n; i++) {
            TagValue v = values.get(i);
            MetricTable.Def d = metricOf(device, thing, v);
            Metric.Builder m = Metric.newBuilder().setAlias(d.alias());
            if (!SparkplugValues.set(m, d.datatype(), v) && misfits.add(d.alias())) {
                // the alias keeps the datatype of its birth for good: say once why this tag now sends null
                LOG.warn("Uplink {}: {} of {} is a {}, which metric {} ({}) cannot carry; it is sent as null", s.name,
                        v.tag(), v.connectionId(), v.value().getClass().getSimpleName(), d.name(),
                        SparkplugValues.name(d.datatype()));
            }
            p.addMetrics(m);
            maxAlias = Math.max(maxAlias, d.alias());
        }
        metrics.sync(); // the aliases are on disk before the outbox holds a message that uses them
        byte[] proto = p.build().toByteArray();
        byte[] stored = new byte[HEADER + proto.length];
        ByteBuffer.wrap(stored).putLong(maxAlias);
        System.arraycopy(proto, 0, stored, HEADER, proto.length);
        return stored;
    }

    private MetricTable.Def metricOf(String device, String thing, TagValue v) {
        Map<String, MetricTable.Def> tags = byTag.get(v.connectionId());
        MetricTable.Def d = tags == null ? null : tags.get(v.tag());
        if (d != null && d.device().equals(device)) {
            return d;
        }
        String name = metricName(thing, v.connectionId(), v.tag());
        d = metrics.get(device, name);
        if (d == null) {
            d = metrics.define(device, name, datatype(v.connectionId(), v.tag(), v.value()), v.connectionId(), v.tag());
            LOG.info("Uplink {}: device {} has a new metric {} ({}, alias {})", s.name, device, name,
                    SparkplugValues.name(d.datatype()), d.alias());
        }
        byTag.computeIfAbsent(v.connectionId(), c -> new ConcurrentHashMap<>()).put(v.tag(), d);
        return d;
    }

    /** The metric name of a tag: the thing's field with {@code .} as {@code /} (folders), else the tag name. */
    private String metricName(String thing, String connection, String tag) {
        ThingRegistry registry = ctx.things().get();
        if (registry != null) {
            for (ThingRegistry.Target t : registry.targets(connection, tag)) {
                if (t.thing().equals(thing)) {
                    return t.field().replace('.', '/');
                }
            }
        }
        return tag;
    }

    private int datatype(String connection, String tag, Object value) {
        boolean array = value != null && value.getClass().isArray() && !(value instanceof byte[]);
        ConnectorRegistry connectors = ctx.connectors().get();
        if (connectors != null) {
            for (TagDefinition d : connectors.tags(connection)) {
                if (d.name().equals(tag)) {
                    return SparkplugValues.datatype(d.dataType(), array);
                }
            }
        }
        return value == null ? DataType.String_VALUE : SparkplugValues.datatypeOf(value);
    }

    // ---- session -------------------------------------------------------------------------------

    @Override
    public void restartWith(Consumer<String> restartSession) {
        this.restart = restartSession;
    }

    @Override
    public void beforeConnect(MqttConnectOptions options) {
        if (bdSeqUsed) {
            bdSeqUsed = false;
            nextBdSeq();
        }
        options.setWill(sp.ndeath, ndeath(bdSeq), 1, false);
        if (nextServer) {
            nextServer = false;
            String[] urls = options.getServerURIs();
            if (urls != null && urls.length > 1) {
                String[] rotated = new String[urls.length];
                for (int i = 0; i < urls.length; i++) {
                    rotated[i] = urls[(i + 1) % urls.length];
                }
                options.setServerURIs(rotated);
            }
        }
    }

    /**
     * A new bdSeq, on disk first: after a restart the node must not reuse the number of a will the
     * broker may still hold. Attempts that never got a session (broker away) keep the number.
     */
    private void nextBdSeq() {
        int next = (bdSeq + 1) & 0xFF;
        try {
            Path tmp = bdSeqFile.resolveSibling("bdseq.tmp");
            Files.writeString(tmp, Integer.toString(next), StandardCharsets.US_ASCII);
            Files.move(tmp, bdSeqFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Uplink {}: cannot keep bdSeq in {}: {}", s.name, bdSeqFile, e.toString());
        }
        bdSeq = next;
    }

    @Override
    public void connected(MqttAsyncClient client) throws MqttException {
        bdSeqUsed = true;
        synchronized (lock) {
            session = client;
            ready = false;
            hostOnline = false;
            devices.clear();
        }
        client.subscribe(new String[] {sp.ncmd, sp.dcmdFilter}, new int[] {1, 1});
        if (sp.state != null) {
            client.subscribe(sp.state, 1); // births wait for the host's STATE online
            return;
        }
        births("session start");
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public void connectionLost() {
        synchronized (lock) {
            session = null;
            ready = false;
            birthsFailed = false;
            settling = false;
            devices.clear();
        }
    }

    @Override
    public void closing(MqttAsyncClient client) {
        synchronized (lock) {
            ready = false;
            session = null;
        }
        try {
            client.publish(sp.ndeath, ndeath(bdSeq), 1, false).waitForCompletion(1000);
        } catch (MqttException e) {
            LOG.debug("Uplink {}: NDEATH before disconnecting: {}", s.name, e.getMessage());
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        incoming.shutdownNow();
        try {
            // a device check or command still running would define metrics in a closed alias table
            checker.awaitTermination(2, TimeUnit.SECONDS);
            incoming.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }

    long badCommands() {
        return commands.rejected();
    }

    private byte[] ndeath(int bd) {
        long now = System.currentTimeMillis();
        return Payload.newBuilder().setTimestamp(now).addMetrics(Metric.newBuilder().setName(BD_SEQ)
                .setTimestamp(now).setDatatype(DataType.Int64_VALUE).setLongValue(bd)).build().toByteArray();
    }

    private static int readBdSeq(Path file) throws IOException {
        if (!Files.exists(file)) {
            return -1; // the first CONNECT carries 0
        }
        try {
            return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()) & 0xFF;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- births -------------------------------------------------------------------------------

    /**
     * NBIRTH, then a DBIRTH for each device that is up once the devices have settled; then data
     * may flow.
     */
    private void births(String why) {
        synchronized (lock) {
            MqttAsyncClient client = session;
            if (client == null) {
                return;
            }
            ready = false;
            try {
                nodeBirth(client);
            } catch (MqttException | RuntimeException e) {
                birthsFailed = true;
                LOG.warn("Uplink {}: births failed, trying again in {} ms: {}", s.name, sp.deviceCheckMs, e.toString());
                return;
            }
            settleDeadline = System.currentTimeMillis() + sp.birthSettleMs;
            settleReason = why;
            settling = true;
        }
        deviceBirthsWhenSettled();
    }

    /**
     * Right after a session starts the connections are still connecting and their tags come in
     * one by one: born at once, a device would be born again for each tag first seen. So the
     * device births wait until every device has a value for each of its tags and no connection
     * of it is still connecting, or until {@code sparkplug.birth.settle.ms} has passed; data
     * waits with them. A tag added later still brings a new DBIRTH.
     */
    private void deviceBirthsWhenSettled() {
        boolean again = false;
        synchronized (lock) {
            MqttAsyncClient client = session;
            if (client == null || !settling) {
                return;
            }
            Set<String> devices = candidates();
            boolean late = System.currentTimeMillis() >= settleDeadline;
            if (!late && !devices.stream().allMatch(this::settled)) {
                again = true;
            } else {
                settling = false;
                try {
                    for (String device : devices) {
                        Device d = device(device);
                        if (state(device) == DeviceState.UP) {
                            deviceBirth(client, device, d);
                        }
                    }
                    ready = true;
                    birthsFailed = false;
                    LOG.info("Uplink {}: births published ({}), bdSeq {}", s.name, settleReason, bdSeq);
                } catch (MqttException | RuntimeException e) {
                    birthsFailed = true;
                    LOG.warn("Uplink {}: births failed, trying again in {} ms: {}", s.name, sp.deviceCheckMs,
                            e.toString());
                }
            }
        }
        if (again) {
            try {
                checker.schedule(this::deviceBirthsWhenSettled, SETTLE_CHECK_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private static final long SETTLE_CHECK_MS = 50;

    /** Whether a device's connections are done connecting and each of its tags has a value. */
    private boolean settled(String device) {
        ThingRegistry registry = ctx.things().get();
        TagBus bus = ctx.bus().get();
        ConnectorRegistry connectors = ctx.connectors().get();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        if (thing.isEmpty() || bus == null) {
            return false; // what the device will have is not known: the settle time decides
        }
        for (FieldMapping m : thing.get().mappings()) {
            if (!s.tags.matchesTag(m.connectionId(), m.tag())) {
                continue;
            }
            if (connectors != null && connectors.connector(m.connectionId())
                    .map(c -> c.status().state() == ConnectorState.CONNECTING).orElse(false)) {
                return false;
            }
            if (bus.latest(m.connectionId(), m.tag()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private int nextSeq() {
        int v = seq;
        seq = (seq + 1) & 0xFF;
        return v;
    }

    private void nodeBirth(MqttAsyncClient client) throws MqttException {
        long now = System.currentTimeMillis();
        seq = 0;
        Payload.Builder p = Payload.newBuilder().setTimestamp(now).setSeq(nextSeq());
        p.addMetrics(Metric.newBuilder().setName(BD_SEQ).setTimestamp(now).setDatatype(DataType.Int64_VALUE)
                .setLongValue(bdSeq));
        p.addMetrics(Metric.newBuilder().setName(REBIRTH).setTimestamp(now).setDatatype(DataType.Boolean_VALUE)
                .setBooleanValue(false));
        nodeInfo(p, "Node Info/Node", sp.edgeNode, now);
        nodeInfo(p, "Node Info/Uplink", s.name, now);
        nodeInfo(p, "Node Info/Software", ("Fogwerk " + version()).trim(), now);
        metrics.sync();
        devices.clear();
        client.publish(sp.nbirth, p.build().toByteArray(), 0, false);
    }

    private void nodeInfo(Payload.Builder p, String name, String value, long now) {
        MetricTable.Def d = metrics.define("", name, DataType.String_VALUE, "", "");
        p.addMetrics(Metric.newBuilder().setName(name).setAlias(d.alias()).setTimestamp(now)
                .setDatatype(DataType.String_VALUE).setStringValue(value));
    }

    private String version() {
        if (ctx.bundleContext() != null) {
            return ctx.bundleContext().getBundle().getVersion().toString();
        }
        Package p = SparkplugProfile.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "" : v;
    }

    /** Publishes a DBIRTH with every metric of the device and its latest value. Holds the lock. */
    private void deviceBirth(MqttAsyncClient client, String device, Device d) throws MqttException {
        defineThingMetrics(device);
        metrics.sync();
        MetricTable.Snapshot snap = metrics.snapshot(device);
        long now = System.currentTimeMillis();
        TagBus bus = ctx.bus().get();
        int n = nextSeq();
        Payload.Builder p = Payload.newBuilder().setTimestamp(now).setSeq(n);
        for (MetricTable.Def def : snap.defs()) {
            Metric.Builder m = Metric.newBuilder().setName(def.name()).setAlias(def.alias()).setDatatype(def.datatype());
            Optional<TagValue> latest = bus == null || def.connection().isEmpty() ? Optional.empty()
                    : bus.latest(def.connection(), def.tag());
            if (latest.isPresent()) {
                SparkplugValues.set(m, def.datatype(), latest.get());
            } else {
                m.setTimestamp(now).setIsNull(true);
            }
            p.addMetrics(m);
        }
        try {
            client.publish(sp.deviceTopic("DBIRTH", device), p.build().toByteArray(), 0, false);
        } catch (MqttException | RuntimeException e) {
            seq = n;
            throw e;
        }
        d.born = true;
        d.watermark = snap.nextAlias();
    }

    private void deviceDeath(MqttAsyncClient client, String device, Device d) throws MqttException {
        int n = nextSeq();
        byte[] payload = Payload.newBuilder().setTimestamp(System.currentTimeMillis()).setSeq(n).build().toByteArray();
        try {
            client.publish(sp.deviceTopic("DDEATH", device), payload, 0, false);
        } catch (MqttException | RuntimeException e) {
            seq = n;
            throw e;
        }
        d.born = false;
    }

    /** Gives every mapped field of the thing a metric, so its birth lists what it will ever send. */
    private void defineThingMetrics(String device) {
        ThingRegistry registry = ctx.things().get();
        if (registry == null) {
            return;
        }
        Optional<Thing> thing = registry.thing(device);
        if (thing.isEmpty()) {
            return;
        }
        TagBus bus = ctx.bus().get();
        for (FieldMapping m : thing.get().mappings()) {
            if (!s.tags.matchesTag(m.connectionId(), m.tag())) {
                continue;
            }
            String name = m.field().replace('.', '/');
            if (metrics.get(device, name) == null) {
                Object latest = bus == null ? null : bus.latest(m.connectionId(), m.tag()).map(TagValue::value).orElse(null);
                metrics.define(device, name, datatype(m.connectionId(), m.tag(), latest), m.connectionId(), m.tag());
            }
        }
    }

    /** Whether a thing mapping has a field that has no metric yet (a tag added to a running node). */
    private boolean hasNewMetric(String device) {
        ThingRegistry registry = ctx.things().get();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        if (thing.isEmpty()) {
            return false;
        }
        for (FieldMapping m : thing.get().mappings()) {
            if (s.tags.matchesTag(m.connectionId(), m.tag()) && metrics.get(device, m.field().replace('.', '/')) == null) {
                return true;
            }
        }
        return false;
    }

    /** The devices a birth sequence covers: the things of the node (filtered), else those seen so far. */
    private Set<String> candidates() {
        Set<String> result = new LinkedHashSet<>();
        ThingRegistry registry = ctx.things().get();
        if (registry != null) {
            for (Thing t : registry.things()) {
                if (s.things.matches(t.name()) && !t.mappings().isEmpty()) {
                    result.add(SparkplugSettings.deviceId(t.name()));
                }
            }
        } else {
            result.addAll(metrics.devices());
        }
        return result;
    }

    private Device device(String device) {
        return devices.computeIfAbsent(device, k -> new Device());
    }

    /** Whether a device can be born, must die, or waits for its connections to finish connecting. */
    private enum DeviceState { UP, DOWN, STARTING }

    /**
     * A device is up while every connection feeding it is connected, down when one of them is lost
     * (DISCONNECTED or FAILED), and starting while one is still connecting; without connection
     * registry always up.
     */
    private DeviceState state(String device) {
        ConnectorRegistry connectors = ctx.connectors().get();
        if (connectors == null) {
            return DeviceState.UP;
        }
        ThingRegistry registry = ctx.things().get();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        List<String> connections = new ArrayList<>();
        if (thing.isPresent() && !thing.get().mappings().isEmpty()) {
            for (FieldMapping m : thing.get().mappings()) {
                if (!connections.contains(m.connectionId())) {
                    connections.add(m.connectionId());
                }
            }
        } else {
            connections.add(device);
        }
        DeviceState result = DeviceState.UP;
        for (String id : connections) {
            Optional<ConnectorInfo> info = connectors.connector(id);
            if (info.isEmpty()) {
                continue; // not a connection of this node: nothing says it is down
            }
            ConnectorState state = info.get().status().state();
            if (state == ConnectorState.DISCONNECTED || state == ConnectorState.FAILED) {
                return DeviceState.DOWN;
            }
            if (state == ConnectorState.CONNECTING) {
                result = DeviceState.STARTING;
            }
        }
        return result;
    }

    /** DDEATH for devices whose connection went down, DBIRTH when back or when a tag was added. */
    private void checkDevices() {
        if (!ready) {
            if (birthsFailed) {
                births("retry");
            }
            return;
        }
        try {
            Set<String> all = candidates();
            all.addAll(devices.keySet());
            synchronized (lock) {
                MqttAsyncClient client = session;
                if (client == null || !ready) {
                    return;
                }
                for (String name : all) {
                    Device d = device(name);
                    DeviceState state = state(name);
                    boolean up = state == DeviceState.UP;
                    if (d.born && state == DeviceState.DOWN) {
                        deviceDeath(client, name, d);
                        LOG.info("Uplink {}: device {} is down (DDEATH)", s.name, name);
                    } else if (up && (!d.born || hasNewMetric(name)) && candidatesContain(name)) {
                        deviceBirth(client, name, d);
                        LOG.info("Uplink {}: device {} is up (DBIRTH)", s.name, name);
                    }
                }
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("Uplink {}: device check: {}", s.name, e.toString());
        }
    }

    private boolean candidatesContain(String device) {
        ThingRegistry registry = ctx.things().get();
        return registry == null || registry.thing(device).isPresent();
    }

    // ---- sending --------------------------------------------------------------------------------

    @Override
    public void send(MqttAsyncClient client, String topic, byte[] stored, int offset, long outboxSeq, boolean replay,
            int qos, IMqttActionListener ack) throws MqttException {
        String device = topic.substring(topic.lastIndexOf('/') + 1);
        long maxAlias = ByteBuffer.wrap(stored, offset, HEADER).getLong();
        int start = offset + HEADER;
        synchronized (lock) {
            Device d = device(device);
            if (!d.born || maxAlias >= d.watermark) {
                deviceBirth(client, device, d);
            }
            int n = nextSeq();
            byte[] payload;
            try {
                payload = replay ? historical(stored, start, n) : withSeq(stored, start, n);
            } catch (InvalidProtocolBufferException e) {
                seq = n;
                LOG.warn("Uplink {}: outbox message {} is not a Sparkplug payload ({}); dropped", s.name, outboxSeq,
                        e.getMessage());
                ack.onSuccess(null);
                return;
            }
            try {
                client.publish(dataTopics.computeIfAbsent(device, dataTopic), payload, sp.dataQos, false, null, ack);
            } catch (MqttException | RuntimeException e) {
                seq = n; // nothing went out: the number is used by the next message
                throw e;
            }
        }
    }

    /** The stored payload with {@code seq} (field 3, varint) appended: protobuf takes fields in any order. */
    static byte[] withSeq(byte[] stored, int start, int seq) {
        int len = stored.length - start;
        byte[] out = new byte[len + (seq < 128 ? 2 : 3)];
        System.arraycopy(stored, start, out, 0, len);
        out[len] = 0x18;
        if (seq < 128) {
            out[len + 1] = (byte) seq;
        } else {
            out[len + 1] = (byte) ((seq & 0x7F) | 0x80);
            out[len + 2] = (byte) (seq >>> 7);
        }
        return out;
    }

    /** A replayed message: every metric {@code is_historical}. */
    private static byte[] historical(byte[] stored, int start, int seq) throws InvalidProtocolBufferException {
        Payload.Builder p = Payload.parseFrom(ByteBuffer.wrap(stored, start, stored.length - start)).toBuilder();
        for (int i = 0; i < p.getMetricsCount(); i++) {
            p.getMetricsBuilder(i).setIsHistorical(true);
        }
        return p.setSeq(seq).build().toByteArray();
    }

    // ---- incoming ---------------------------------------------------------------------------------

    @Override
    public boolean messageArrived(String topic, MqttMessage message) {
        byte[] payload = message.getPayload();
        Runnable work;
        if (topic.equals(sp.ncmd)) {
            work = () -> nodeCommand(payload);
        } else if (topic.startsWith(dcmdPrefix)) {
            String device = topic.substring(dcmdPrefix.length());
            work = () -> commands.handle(device, payload);
        } else if (topic.equals(sp.state)) {
            work = () -> hostState(payload);
        } else {
            return true; // nothing else is subscribed
        }
        try {
            incoming.execute(work);
        } catch (RejectedExecutionException e) {
            commands.reject(topic, "more than 1000 commands waiting");
        }
        return true;
    }

    private void nodeCommand(byte[] payload) {
        Payload p;
        try {
            p = Payload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            commands.reject(sp.ncmd, "not a Sparkplug B payload: " + e.getMessage());
            return;
        }
        for (Metric m : p.getMetricsList()) {
            if (REBIRTH.equals(m.getName())) {
                if (!m.hasBooleanValue()) {
                    commands.reject(sp.ncmd, REBIRTH + " needs a boolean_value");
                } else if (m.getBooleanValue()) {
                    if (sp.state == null || hostOnline) {
                        births("rebirth requested");
                    }
                }
            } else {
                commands.reject(sp.ncmd, "unknown node metric " + (m.hasName() ? m.getName() : "alias " + m.getAlias()));
            }
        }
    }

    /** The primary host application's STATE: births when online, a new session elsewhere when offline. */
    private void hostState(byte[] payload) {
        if (payload.length == 0) {
            return; // the retained STATE was cleared
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(payload);
        } catch (IOException e) {
            commands.reject(sp.state, "STATE is not JSON");
            return;
        }
        if (doc == null || !doc.path("online").isBoolean() || !doc.path("timestamp").canConvertToLong()) {
            commands.reject(sp.state, "STATE needs {\"online\": true|false, \"timestamp\": <ms>}");
            return;
        }
        long ts = doc.get("timestamp").asLong();
        boolean online = doc.get("online").asBoolean();
        boolean inSession;
        synchronized (lock) {
            if (ts < hostTimestamp) {
                LOG.debug("Uplink {}: stale STATE of {} ignored", s.name, sp.primaryHost);
                return;
            }
            hostTimestamp = ts;
            hostOnline = online;
            inSession = session != null;
        }
        if (online) {
            if (!ready && !settling) {
                births("primary host " + sp.primaryHost + " online");
            }
        } else if (inSession) {
            LOG.warn("Uplink {}: primary host {} is offline: ending the session, trying the next server", s.name,
                    sp.primaryHost);
            synchronized (lock) {
                ready = false;
            }
            nextServer = true;
            restart.accept("primary host " + sp.primaryHost + " offline");
        }
    }
}
