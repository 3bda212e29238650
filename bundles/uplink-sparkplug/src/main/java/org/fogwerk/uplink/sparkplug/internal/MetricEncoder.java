package org.fogwerk.uplink.sparkplug.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.api.uplink.spi.ProfileContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Tag values as Sparkplug metrics: the DDATA payloads the outbox stores (metrics by alias,
 * defined in the alias table on first use), and what is added to them when they are sent.
 */
final class MetricEncoder {

    /** Logs as the profile, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugProfile.class);
    /** The highest alias a stored payload uses, in front of it. */
    static final int HEADER = 8;
    /** No datatype yet: see {@link #datatype}. */
    static final int UNKNOWN = -1;

    private final ProfileContext ctx;
    private final String uplink;
    private final MetricTable metrics;
    private final Map<String, String> dataTopics = new ConcurrentHashMap<>();
    private final Function<String, String> dataTopic;
    /** connection -> tag -> metric: the hot path's lookup. */
    private final Map<String, Map<String, MetricTable.Def>> byTag = new ConcurrentHashMap<>();
    /** Aliases whose values did not fit their datatype, each logged once. */
    private final Set<Long> misfits = ConcurrentHashMap.newKeySet();

    MetricEncoder(ProfileContext context, SparkplugSettings sp, MetricTable metrics) {
        this.ctx = context;
        this.uplink = context.uplink();
        this.metrics = metrics;
        this.dataTopic = device -> sp.deviceTopic("DDATA", device);
    }

    /** The DDATA topic of a device. */
    String dataTopic(String device) {
        return dataTopics.computeIfAbsent(device, dataTopic);
    }

    ProfileSession.Encoder encoder() {
        return new ProfileSession.Encoder() {
            @Override
            public String topic(String connection, String thing, TagValue v) {
                return dataTopic(SparkplugSettings.deviceId(thing));
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

    /**
     * A DDATA payload without seq, behind the highest alias it uses (8 bytes); its metrics in the
     * order of their timestamps, as Sparkplug asks of live data. A value without a type to give
     * its metric (no value, and the connection has not learnt the tag's type from the machine)
     * is left out: it says only that the connection is down, which the device's death says.
     */
    byte[] encode(String thing, List<TagValue> values) {
        String device = SparkplugSettings.deviceId(thing);
        Payload.Builder p = Payload.newBuilder().setTimestamp(System.currentTimeMillis());
        long maxAlias = 0;
        List<TagValue> ordered = chronological(values);
        for (int i = 0, n = ordered.size(); i < n; i++) {
            TagValue v = ordered.get(i);
            MetricTable.Def d = metricOf(device, thing, v);
            if (d == null) {
                continue;
            }
            Metric.Builder m = Metric.newBuilder().setAlias(d.alias());
            if (!SparkplugValues.set(m, d.datatype(), v) && misfits.add(d.alias())) {
                // the alias keeps the datatype of its birth for good: say once why this tag now sends null
                LOG.warn("Uplink {}: {} of {} is a {}, which metric {} ({}) cannot carry; it is sent as null", uplink,
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

    /** The values by source time (a stable sort: values of one time keep their order); most are in order already. */
    static List<TagValue> chronological(List<TagValue> values) {
        for (int i = 1, n = values.size(); i < n; i++) {
            if (values.get(i).sourceTime() < values.get(i - 1).sourceTime()) {
                List<TagValue> sorted = new ArrayList<>(values);
                sorted.sort(Comparator.comparingLong(TagValue::sourceTime));
                return sorted;
            }
        }
        return values;
    }

    /** The metric of a value, defined on first use; null while the value gives it no type. */
    private MetricTable.Def metricOf(String device, String thing, TagValue v) {
        Map<String, MetricTable.Def> tags = byTag.get(v.connectionId());
        MetricTable.Def d = tags == null ? null : tags.get(v.tag());
        if (d != null && d.device().equals(device)) {
            return d;
        }
        String name = metricName(thing, v.connectionId(), v.tag());
        d = metrics.get(device, name);
        if (d == null) {
            int datatype = datatype(v.connectionId(), v.tag(), v.value());
            if (datatype == UNKNOWN) {
                return null;
            }
            d = metrics.define(device, name, datatype, v.connectionId(), v.tag());
            LOG.info("Uplink {}: device {} has a new metric {} ({}, alias {})", uplink, device, name,
                    SparkplugValues.name(d.datatype()), d.alias());
        }
        byTag.computeIfAbsent(v.connectionId(), c -> new ConcurrentHashMap<>()).put(v.tag(), d);
        return d;
    }

    /** The metric name of a tag: the thing's field with {@code .} as {@code /} (folders), else the tag name. */
    private String metricName(String thing, String connection, String tag) {
        ThingRegistry registry = ctx.thingRegistry();
        if (registry != null) {
            for (ThingRegistry.Target t : registry.targets(connection, tag)) {
                if (t.thing().equals(thing)) {
                    return t.field().replace('.', '/');
                }
            }
        }
        return tag;
    }

    /**
     * The Sparkplug datatype of a tag: its declared type, else that of its value; {@link #UNKNOWN}
     * for a tag whose type its connection has not learnt from the machine yet and that has no
     * value to tell it: a metric keeps the datatype it is defined with, so it is not defined yet.
     */
    int datatype(String connection, String tag, Object value) {
        boolean array = value != null && value.getClass().isArray() && !(value instanceof byte[]);
        ConnectorRegistry connectors = ctx.connectorRegistry();
        if (connectors != null) {
            for (TagDefinition d : connectors.tags(connection)) {
                if (d.name().equals(tag)) {
                    if (d.typeKnown()) {
                        return SparkplugValues.datatype(d.dataType(), array);
                    }
                    return value == null ? UNKNOWN : SparkplugValues.datatypeOf(value);
                }
            }
        }
        return value == null ? DataType.String_VALUE : SparkplugValues.datatypeOf(value);
    }

    /** Whether a stored payload holds no metric (its values all waited for a type). */
    static boolean empty(byte[] stored, int start, long maxAlias) {
        if (maxAlias > 0) {
            return false;
        }
        try {
            return Payload.parseFrom(ByteBuffer.wrap(stored, start, stored.length - start)).getMetricsCount() == 0;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** The highest alias a stored payload uses. */
    static long maxAlias(byte[] stored, int offset) {
        return ByteBuffer.wrap(stored, offset, HEADER).getLong();
    }

    /**
     * The stored payload as it is published: {@code seq} (field 3) and the payload's timestamp
     * (field 1, the time it is published, as Sparkplug asks of DDATA) appended as varints.
     * Protobuf takes fields in any order, and the last of a field twice: a timestamp stored with
     * the payload is overridden.
     */
    static byte[] withSeq(byte[] stored, int start, int seq, long now) {
        int len = stored.length - start;
        byte[] out = new byte[len + 1 + varintSize(seq) + 1 + varintSize(now)];
        System.arraycopy(stored, start, out, 0, len);
        out[len] = 0x08;
        int at = putVarint(out, len + 1, now);
        out[at] = 0x18;
        putVarint(out, at + 1, seq);
        return out;
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int putVarint(byte[] out, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            out[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    /** Whether every metric of a stored payload is null (or it cannot be read, which the sender finds itself). */
    static boolean onlyNulls(byte[] stored, int start) {
        try {
            Payload p = Payload.parseFrom(ByteBuffer.wrap(stored, start, stored.length - start));
            return p.getMetricsCount() > 0 && p.getMetricsList().stream().allMatch(Metric::getIsNull);
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** A replayed message: every metric {@code is_historical}, the payload's timestamp the time it is published. */
    static byte[] historical(byte[] stored, int start, int seq, long now) throws InvalidProtocolBufferException {
        Payload.Builder p = Payload.parseFrom(ByteBuffer.wrap(stored, start, stored.length - start)).toBuilder();
        for (int i = 0; i < p.getMetricsCount(); i++) {
            p.getMetricsBuilder(i).setIsHistorical(true);
        }
        return p.setSeq(seq).setTimestamp(now).build().toByteArray();
    }
}
