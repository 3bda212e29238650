package org.fogwerk.uplink.sparkplug.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
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
 * DCMD: each metric is a write to the device. A metric that is a field of the thing becomes
 * desired state of the thing's shadow, and the node's command path writes the tag behind it
 * (checked against the tag definition, outcome in the field's desired metadata). A metric with
 * no field behind it (a tag no thing maps) is written to its tag directly through the
 * connection registry, checked the same way. Both go through the write gateway as source
 * {@code sparkplug}: the write policy must allow it. Bad and refused commands are counted and
 * logged, never thrown.
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

    void handle(String device, byte[] payload) {
        Payload p;
        try {
            p = Payload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            reject("DCMD " + device, "not a Sparkplug B payload: " + e.getMessage());
            return;
        }
        for (Metric m : p.getMetricsList()) {
            MetricTable.Def d = m.hasAlias() ? metrics.byAlias(m.getAlias()) : metrics.get(device, m.getName());
            if (d == null || !d.device().equals(device)) {
                reject("DCMD " + device, "unknown metric " + (m.hasAlias() ? "alias " + m.getAlias() : m.getName()));
                continue;
            }
            Object value;
            try {
                value = SparkplugValues.commandValue(m, d.datatype());
            } catch (IllegalArgumentException e) {
                reject("DCMD " + device, d.name() + ": " + e.getMessage());
                continue;
            }
            try {
                write(device, d, value);
            } catch (RuntimeException e) {
                reject("DCMD " + device, d.name() + ": " + e);
            }
        }
    }

    private void write(String device, MetricTable.Def d, Object value) {
        ThingRegistry registry = ctx.thingRegistry();
        Optional<Thing> thing = registry == null ? Optional.empty() : registry.thing(device);
        String field = d.name().replace('/', '.');
        FieldMapping mapping = null;
        if (thing.isPresent()) {
            for (FieldMapping m : thing.get().mappings()) {
                if (m.field().equals(field)) {
                    mapping = m;
                    break;
                }
            }
        }
        WriteGateway gateway = ctx.writeGateway();
        if (gateway == null) {
            reject("DCMD " + device, d.name() + ": the write gateway is not available");
            return;
        }
        Caller caller = Caller.of(Source.SPARKPLUG, "uplink " + uplink + ", DCMD " + device);
        if (mapping != null && ctx.shadowStore() != null && !(value instanceof byte[])) {
            try {
                // the shadow the field reports in: a large machine's fields are spread over several
                gateway.updateShadow(caller, device, registry.shadowOf(thing.get(), mapping),
                        ShadowUpdate.desired(nested(field, value)));
                LOG.info("Uplink {}: DCMD {} {} = {} -> desired {}", uplink, device, d.name(), value, field);
            } catch (ShadowException e) {
                reject("DCMD " + device, d.name() + ": the shadow refused it: " + e.code() + " " + e.getMessage());
            }
            return;
        }
        String connection = mapping != null ? mapping.connectionId() : d.connection();
        String tag = mapping != null ? mapping.tag() : d.tag();
        if (connection.isEmpty()) {
            reject("DCMD " + device, d.name() + ": no connection to write to");
            return;
        }
        gateway.write(caller, connection, tag, value).whenComplete((r, e) -> {
            WriteResult result = e != null ? WriteResult.failed(connection, tag, String.valueOf(e.getMessage())) : r;
            if (result.outcome() == WriteResult.Outcome.DONE) {
                LOG.info("Uplink {}: DCMD {} {} = {} written to {}/{}", uplink, device, d.name(), value, connection, tag);
            } else {
                reject("DCMD " + device, d.name() + ": write to " + connection + "/" + tag + " " + result.outcome()
                        + ": " + result.reason());
            }
        });
    }

    /** {@code a.b} = v as {@code {"a": {"b": v}}}. */
    static Map<String, Object> nested(String field, Object value) {
        String[] parts = field.split("\\.");
        Object current = value;
        for (int i = parts.length - 1; i >= 0; i--) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(parts[i], current);
            current = m;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) current;
        return root;
    }

    /**
     * A DCMD the broker kept from an earlier publish and hands out at every subscription: the
     * write gateway refuses it for the device's thing (counted, in the trail), and it counts as a
     * bad command here.
     */
    void refuseRetained(String device, String topic) {
        WriteGateway gateway = ctx.writeGateway();
        if (gateway != null) {
            gateway.refuseRetained(Caller.of(Source.SPARKPLUG, "uplink " + uplink + ", DCMD " + device + " (retained)"),
                    device, "", new byte[0]);
        }
        reject(topic, WriteGateway.RETAINED);
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
