package org.fogwerk.uplink.sparkplug.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.api.uplink.spi.ProfileContext;
import org.fogwerk.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * DCMD: each metric is a write to the device, and a DCMD is carried out whole or not at all:
 * every metric is checked (known, of the device, a value its datatype takes) before any is
 * written. The metrics that are fields of the thing become one desired-state update of the
 * thing's shadow (one per shadow for a large machine whose fields report in several), which the
 * write gateway accepts or refuses as a whole; the node's command path then writes the tags
 * behind them (checked against the tag definition, outcome in the field's desired metadata). A
 * metric with no field behind it (a tag no thing maps) is written to its tag directly through the
 * connection registry, checked the same way. All of it goes through the write gateway as source
 * {@code sparkplug}: the write policy must allow it, and a command refused here (not Sparkplug B,
 * an unknown device or metric, a value of the wrong type) is recorded there too, in the audit
 * trail and the source's refused requests. Bad and refused commands are counted and logged,
 * never thrown.
 */
final class DeviceCommands {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCommands.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final String uplink;
    private final MetricTable metrics;
    private final ProfileContext ctx;
    private final AtomicLong rejected = new AtomicLong();
    private final LogThrottle logBudget = new LogThrottle(LOG_EVERY);

    DeviceCommands(String uplink, MetricTable metrics, ProfileContext ctx) {
        this.uplink = uplink;
        this.metrics = metrics;
        this.ctx = ctx;
    }

    long rejected() {
        return rejected.get();
    }

    /** A metric to write to its tag directly. */
    private record Direct(MetricTable.Def def, String connection, String tag, Object value) {
    }

    void handle(String device, byte[] payload) {
        String what = "DCMD " + device;
        Caller caller = Caller.of(Source.SPARKPLUG, "uplink " + uplink + ", " + what);
        Payload p;
        try {
            p = Payload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            refuse(caller, device, "", what, 400, "not a Sparkplug B payload: " + e.getMessage());
            return;
        }
        ThingRegistry registry = ctx.thingRegistry();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        if (thing.isEmpty() && !metrics.devices().contains(device)) {
            refuse(caller, device, "", what, 404, "no device " + device + " on this edge node");
            return;
        }
        boolean toShadow = thing.isPresent() && ctx.shadowStore() != null;
        Map<String, Map<String, Object>> desired = new LinkedHashMap<>();
        List<Direct> direct = new ArrayList<>();
        for (Metric m : p.getMetricsList()) {
            MetricTable.Def d = m.hasAlias() ? metrics.byAlias(m.getAlias()) : metrics.get(device, m.getName());
            if (d == null || !d.device().equals(device)) {
                refuse(caller, device, "", what, 400, "unknown metric " + (m.hasAlias() ? "alias " + m.getAlias() : m.getName())
                        + "; nothing of this DCMD is carried out");
                return;
            }
            if (m.hasAlias() && !m.getName().isEmpty() && !m.getName().equals(d.name())) {
                // a host with an old alias map: carrying out the alias would write another tag than the one named
                refuse(caller, device, d.name(), what, 400, "alias " + m.getAlias() + " is metric " + d.name() + ", not "
                        + m.getName() + " (a command with aliases carries the alias alone); nothing of this DCMD"
                        + " is carried out");
                return;
            }
            Object value;
            try {
                value = SparkplugValues.commandValue(m, d.datatype());
            } catch (IllegalArgumentException e) {
                refuse(caller, device, d.name(), what, 400, d.name() + ": " + e.getMessage() + "; nothing of this DCMD is carried out");
                return;
            }
            String field = d.name().replace('/', '.');
            FieldMapping mapping = thing.map(t -> mappingOf(t, field)).orElse(null);
            if (mapping != null && toShadow && !(value instanceof byte[])) {
                put(desired.computeIfAbsent(registry.shadowOf(thing.get(), mapping), s -> new LinkedHashMap<>()), field,
                        value);
                continue;
            }
            String connection = mapping != null ? mapping.connectionId() : d.connection();
            String tag = mapping != null ? mapping.tag() : d.tag();
            if (connection.isEmpty()) {
                refuse(caller, device, d.name(), what, 400, d.name() + ": no connection to write to");
                return;
            }
            List<ThingRegistry.Target> fields = mapping != null || registry == null ? List.of()
                    : registry.targets(connection, tag);
            if (!fields.isEmpty()) {
                // a thing's field is written through its shadow, where the node keeps what was ordered
                ThingRegistry.Target t = fields.get(0);
                refuse(caller, device, d.name(), what, 400, d.name() + ": " + connection + "/" + tag + " is field "
                        + t.field() + " of thing " + t.thing() + "; send the DCMD to device "
                        + SparkplugSettings.deviceId(t.thing()));
                return;
            }
            direct.add(new Direct(d, connection, tag, value));
        }
        WriteGateway gateway = ctx.writeGateway();
        if (gateway == null) {
            reject(what, "the write gateway is not available");
            return;
        }
        for (Map.Entry<String, Map<String, Object>> e : desired.entrySet()) {
            try {
                gateway.updateShadow(caller, device, e.getKey(), ShadowUpdate.desired(e.getValue()));
                LOG.info("Uplink {}: {} -> desired {}", uplink, what, e.getValue());
            } catch (ShadowException ex) {
                reject(what, "the shadow refused it: " + ex.code() + " " + ex.getMessage());
                return;
            }
        }
        for (Direct w : direct) {
            write(gateway, caller, what, w);
        }
    }

    private void write(WriteGateway gateway, Caller caller, String what, Direct w) {
        String connection = w.connection();
        String tag = w.tag();
        gateway.write(caller, connection, tag, w.value()).whenComplete((r, e) -> {
            WriteResult result = e != null ? WriteResult.failed(connection, tag, String.valueOf(e.getMessage())) : r;
            if (result.outcome() == WriteResult.Outcome.DONE) {
                LOG.info("Uplink {}: {} {} = {} written to {}/{}", uplink, what, w.def().name(), w.value(), connection, tag);
            } else {
                reject(what, w.def().name() + ": write to " + connection + "/" + tag + " " + result.outcome() + ": "
                        + result.reason());
            }
        });
    }

    private static FieldMapping mappingOf(Thing thing, String field) {
        for (FieldMapping m : thing.mappings()) {
            if (m.field().equals(field)) {
                return m;
            }
        }
        return null;
    }

    /** Puts {@code a.b} = v into {@code root} as {@code {"a": {"b": v}}}, beside what is there. */
    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> root, String field, Object value) {
        String[] parts = field.split("\\.");
        Map<String, Object> current = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = current.get(parts[i]);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                current.put(parts[i], next);
            }
            current = (Map<String, Object>) next;
        }
        current.put(parts[parts.length - 1], value);
    }

    /**
     * An NCMD or DCMD the broker kept from an earlier publish and hands out at every
     * subscription: the write gateway refuses it for the device's thing, or the edge node for an
     * NCMD (counted, in the trail), and it counts as a bad command here.
     *
     * @param what {@code DCMD <device>} or {@code NCMD}
     */
    void refuseRetained(String device, String what, String topic) {
        WriteGateway gateway = ctx.writeGateway();
        if (gateway != null) {
            gateway.refuseRetained(Caller.of(Source.SPARKPLUG, "uplink " + uplink + ", " + what + " (retained)"),
                    device, "", new byte[0]);
        }
        reject(topic, WriteGateway.RETAINED);
    }

    /**
     * Refuses a command before it reaches the write gateway, and records it there (audit trail,
     * the source's refused requests) as the gateway's own refusals are.
     */
    private void refuse(Caller caller, String device, String target, String what, int code, String why) {
        WriteGateway gateway = ctx.writeGateway();
        if (gateway != null) {
            // a thing's metrics are fields of its shadow: the reason names the metric
            boolean thing = ctx.thingRegistry() != null && ctx.thingRegistry().thing(device).isPresent();
            gateway.refused(caller, thing ? AuditEvent.KIND_DESIRED : AuditEvent.KIND_WRITE, device, thing ? "" : target,
                    code, why);
        }
        reject(what, why);
    }

    /** Counts a bad or failed command and logs it, at most every few seconds in detail. */
    void reject(String what, String why) {
        long n = rejected.incrementAndGet();
        if (logBudget.admit() >= 0) {
            LOG.warn("Uplink {}: {} refused: {} ({} refused in all)", uplink, what, why, n);
        } else {
            LOG.debug("Uplink {}: {} refused: {}", uplink, what, why);
        }
    }
}
