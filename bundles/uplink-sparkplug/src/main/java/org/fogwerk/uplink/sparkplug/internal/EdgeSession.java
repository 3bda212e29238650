package org.fogwerk.uplink.sparkplug.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.uplink.spi.ProfileContext;
import org.fogwerk.api.uplink.spi.MqttSession;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.fogwerk.uplink.sparkplug.internal.NodeDevices.DeviceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * The edge node's broker session: NBIRTH, the device births and deaths, and the data stream.
 * They share one lock, so {@code seq} runs 0..255 without gaps in the order the broker
 * receives the messages.
 */
final class EdgeSession {

    /** Logs as the profile, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugProfile.class);

    private final ProfileContext ctx;
    private final String uplink;
    private final SparkplugSettings sp;
    private final MetricTable metrics;
    private final MetricEncoder encoder;
    private final NodeDevices nodeDevices;
    private final DeathCertificate death;
    private final ScheduledExecutorService checker;

    /** Guards seq, the devices and every publish of this profile, so seq follows the broker's order. */
    private final Object lock = new Object();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private MqttSession session;
    private int seq;
    private volatile boolean ready;
    /** The NBIRTH of this session is out: ending it needs an NDEATH. */
    private volatile boolean born;
    /** The births of this session failed: the device check tries again. */
    private volatile boolean birthsFailed;
    /** The NBIRTH of this session is out and the device births wait for the devices to settle. */
    private volatile boolean settling;
    private long settleDeadline;
    private String settleReason = "";
    private volatile boolean hostOnline;
    private long hostTimestamp = Long.MIN_VALUE;

    /** A device in the current session. */
    private static final class Device {
        boolean born;
        /** Every metric of the device with a smaller alias was in its birth. */
        long watermark;
    }

    /** What a STATE message of the primary host application meant. */
    enum HostState { STALE, IN_SESSION, NO_SESSION }

    EdgeSession(ProfileContext context, SparkplugSettings sp, MetricTable metrics, MetricEncoder encoder,
            NodeDevices nodeDevices, DeathCertificate death, ScheduledExecutorService checker) {
        this.ctx = context;
        this.uplink = context.uplink();
        this.sp = sp;
        this.metrics = metrics;
        this.encoder = encoder;
        this.nodeDevices = nodeDevices;
        this.death = death;
        this.checker = checker;
    }

    /** A session began: nothing is born in it yet, and the host is offline until its STATE says otherwise. */
    void started(MqttSession client) {
        synchronized (lock) {
            session = client;
            ready = false;
            born = false;
            hostOnline = false;
            devices.clear();
        }
    }

    /** Whether the births of this session are out, so data may flow. */
    boolean ready() {
        return ready;
    }

    boolean settling() {
        return settling;
    }

    /** Whether this session's NBIRTH is out, so ending the session takes an NDEATH. */
    boolean born() {
        return born;
    }

    boolean hostOnline() {
        return hostOnline;
    }

    void lost() {
        synchronized (lock) {
            session = null;
            ready = false;
            birthsFailed = false;
            settling = false;
            devices.clear();
        }
    }

    /** The session is about to end: nothing more is published in it. */
    void ending() {
        synchronized (lock) {
            ready = false;
            session = null;
        }
    }

    /** Takes the primary host's STATE unless an earlier one is newer; says whether a session is open. */
    HostState host(long timestamp, boolean online) {
        synchronized (lock) {
            if (timestamp < hostTimestamp) {
                return HostState.STALE;
            }
            hostTimestamp = timestamp;
            hostOnline = online;
            return session != null ? HostState.IN_SESSION : HostState.NO_SESSION;
        }
    }

    /** The primary host went offline: data waits until the next session's births. */
    void hostGone() {
        synchronized (lock) {
            ready = false;
        }
    }

    // ---- births -------------------------------------------------------------------------------

    /**
     * NBIRTH, then a DBIRTH for each device that is up once the devices have settled; then data
     * may flow.
     */
    void births(String why) {
        synchronized (lock) {
            MqttSession client = session;
            if (client == null) {
                return;
            }
            ready = false;
            try {
                nodeBirth(client);
                born = true;
            } catch (IOException | RuntimeException e) {
                birthsFailed = true;
                LOG.warn("Uplink {}: births failed, trying again in {} ms: {}", uplink, sp.deviceCheckMs, e.toString());
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
            MqttSession client = session;
            if (client == null || !settling) {
                return;
            }
            Set<String> devices = nodeDevices.candidates();
            boolean late = System.currentTimeMillis() >= settleDeadline;
            if (!late && !devices.stream().allMatch(nodeDevices::settled)) {
                again = true;
            } else {
                settling = false;
                try {
                    for (String device : devices) {
                        Device d = device(device);
                        if (nodeDevices.state(device) == DeviceState.UP) {
                            deviceBirth(client, device, d);
                        }
                    }
                    ready = true;
                    birthsFailed = false;
                    LOG.info("Uplink {}: births published ({}), bdSeq {}", uplink, settleReason, death.bdSeq());
                } catch (IOException | RuntimeException e) {
                    birthsFailed = true;
                    LOG.warn("Uplink {}: births failed, trying again in {} ms: {}", uplink, sp.deviceCheckMs,
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

    private int nextSeq() {
        int v = seq;
        seq = (seq + 1) & 0xFF;
        return v;
    }

    private void nodeBirth(MqttSession client) throws IOException {
        long now = System.currentTimeMillis();
        seq = 0;
        Payload.Builder p = Payload.newBuilder().setTimestamp(now).setSeq(nextSeq());
        p.addMetrics(Metric.newBuilder().setName(SparkplugProfile.BD_SEQ).setTimestamp(now).setDatatype(DataType.Int64_VALUE)
                .setLongValue(death.bdSeq()));
        p.addMetrics(Metric.newBuilder().setName(SparkplugProfile.REBIRTH).setTimestamp(now).setDatatype(DataType.Boolean_VALUE)
                .setBooleanValue(false));
        nodeInfo(p, "Node Info/Node", sp.edgeNode, now);
        nodeInfo(p, "Node Info/Uplink", uplink, now);
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
        Bundle bundle = FrameworkUtil.getBundle(SparkplugProfile.class);
        if (bundle != null) {
            return bundle.getVersion().toString();
        }
        Package p = SparkplugProfile.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "" : v;
    }

    /** Publishes a DBIRTH with every metric of the device and its latest value. Holds the lock. */
    private void deviceBirth(MqttSession client, String device, Device d) throws IOException {
        nodeDevices.defineThingMetrics(device);
        metrics.sync();
        MetricTable.Snapshot snap = metrics.snapshot(device);
        long now = System.currentTimeMillis();
        TagBus bus = ctx.tagBus();
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
        } catch (IOException | RuntimeException e) {
            seq = n;
            throw e;
        }
        d.born = true;
        d.watermark = snap.nextAlias();
    }

    private void deviceDeath(MqttSession client, String device, Device d) throws IOException {
        int n = nextSeq();
        byte[] payload = Payload.newBuilder().setTimestamp(System.currentTimeMillis()).setSeq(n).build().toByteArray();
        try {
            client.publish(sp.deviceTopic("DDEATH", device), payload, 0, false);
        } catch (IOException | RuntimeException e) {
            seq = n;
            throw e;
        }
        d.born = false;
    }

    private Device device(String device) {
        return devices.computeIfAbsent(device, k -> new Device());
    }

    /** DDEATH for devices whose connection went down, DBIRTH when back or when a tag was added. */
    void checkDevices() {
        if (!ready) {
            if (birthsFailed) {
                births("retry");
            }
            return;
        }
        try {
            Set<String> all = nodeDevices.candidates();
            all.addAll(devices.keySet());
            synchronized (lock) {
                MqttSession client = session;
                if (client == null || !ready) {
                    return;
                }
                for (String name : all) {
                    Device d = device(name);
                    DeviceState state = nodeDevices.state(name);
                    boolean up = state == DeviceState.UP;
                    if (d.born && state == DeviceState.DOWN) {
                        deviceDeath(client, name, d);
                        LOG.info("Uplink {}: device {} is down (DDEATH)", uplink, name);
                    } else if (up && (!d.born || nodeDevices.hasNewMetric(name))
                            && nodeDevices.candidatesContain(name)) {
                        deviceBirth(client, name, d);
                        LOG.info("Uplink {}: device {} is up (DBIRTH)", uplink, name);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Uplink {}: device check: {}", uplink, e.toString());
        }
    }

    /**
     * Publishes one stored DDATA payload with the next seq, after a DBIRTH if the device is not
     * born in this session or the payload uses a metric its birth did not list.
     */
    CompletionStage<Void> send(MqttSession client, String topic, byte[] stored, int offset, long outboxSeq,
            boolean replay) throws IOException {
        String device = topic.substring(topic.lastIndexOf('/') + 1);
        long maxAlias = MetricEncoder.maxAlias(stored, offset);
        int start = offset + MetricEncoder.HEADER;
        synchronized (lock) {
            Device d = device(device);
            if (MetricEncoder.empty(stored, start, maxAlias)) {
                return CompletableFuture.completedFuture(null); // nothing in it had a type to send it with
            }
            if (!d.born && nodeDevices.state(device) == DeviceState.DOWN && MetricEncoder.onlyNulls(stored, start)) {
                // the values a connection leaves when it goes down: its DDEATH said so already, and
                // a DBIRTH for them would announce a device that is down
                return CompletableFuture.completedFuture(null);
            }
            if (!d.born || maxAlias >= d.watermark) {
                deviceBirth(client, device, d);
            }
            int n = nextSeq();
            long now = System.currentTimeMillis();
            byte[] payload;
            try {
                payload = replay ? MetricEncoder.historical(stored, start, n, now)
                        : MetricEncoder.withSeq(stored, start, n, now);
            } catch (InvalidProtocolBufferException e) {
                seq = n;
                // set aside and counted by the uplink (quarantine), not sent and not counted as sent
                throw new IllegalArgumentException("outbox message " + outboxSeq + " is not a Sparkplug payload ("
                        + e.getMessage() + ")", e);
            }
            try {
                return client.publish(encoder.dataTopic(device), payload, sp.dataQos, false);
            } catch (IOException | RuntimeException e) {
                seq = n; // nothing went out: the number is used by the next message
                throw e;
            }
        }
    }
}
