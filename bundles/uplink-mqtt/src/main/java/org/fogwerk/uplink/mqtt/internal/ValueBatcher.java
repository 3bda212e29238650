package org.fogwerk.uplink.mqtt.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.spi.ProfileSession.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns tag values into outbox records: filters them, encodes one message per value or fills
 * batches per topic, and counts what the outbox or the broker could not take.
 */
final class ValueBatcher {

    /** Logs as the uplink, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);

    /** Room for {@code "seq":N,"replayed":true,} spliced in when sent. */
    private static final int SPLICED_FIELDS = 48;

    private final UplinkSettings s;
    private final Profile profile;
    private final BiFunction<String, String, String> thingOf;
    private final Function<byte[], Outbox.Append> store;
    /** The bus listener's encoder; also guards the batches it fills. */
    private final Encoder listenerEncoder;

    /** Values refused per topic since the topic's last accepted message; guarded by itself. */
    private final Map<String, Long> refusedByTopic = new HashMap<>();
    /** Values refused because the outbox was full (policy refuse). */
    private final AtomicLong refusedValues = new AtomicLong();
    /** Values refused because their message would be larger than the broker takes. */
    private final AtomicLong oversized = new AtomicLong();

    /** json-batch: batches still filling, by topic; guarded by itself. */
    private final Map<String, OpenBatch> open = new LinkedHashMap<>();

    private static final class OpenBatch {
        final String thing;
        final List<TagValue> values = new ArrayList<>();
        final long started = System.nanoTime();
        int bytes;

        OpenBatch(String thing) {
            this.thing = thing;
        }
    }

    ValueBatcher(UplinkSettings settings, Profile profile, BiFunction<String, String, String> thingOf,
            Function<byte[], Outbox.Append> store) {
        this.s = settings;
        this.profile = profile;
        this.thingOf = thingOf;
        this.store = store;
        this.listenerEncoder = profile.encoder();
    }

    /** Values from the bus listener; batches stay open until they fill or linger long enough. */
    void fromListener(List<TagValue> values) {
        synchronized (listenerEncoder) {
            accept(values, listenerEncoder, false);
        }
    }

    /** Values submitted directly, sealed at once; returns how many were refused. */
    int submitted(List<TagValue> values) {
        return accept(values, profile.encoder(), true);
    }

    /** Seals every batch the bus listener has open. */
    void sealListenerBatches() {
        if (profile.batched()) {
            synchronized (listenerEncoder) {
                sealAll(listenerEncoder, true);
            }
        }
    }

    /** Called by the outbox writer before each group commit. */
    void sealLingering() {
        synchronized (listenerEncoder) {
            sealAll(listenerEncoder, false);
        }
    }

    /** Values refused because the outbox was full. */
    long refusedFull() {
        return refusedValues.get();
    }

    /** The values refused per topic whose gap is not yet marked on a message of the topic. */
    Map<String, Long> gaps() {
        synchronized (refusedByTopic) {
            return new HashMap<>(refusedByTopic);
        }
    }

    /** Gaps of the uplink this one replaces, marked on the next message of each topic from here. */
    void carryGaps(Map<String, Long> gaps) {
        synchronized (refusedByTopic) {
            gaps.forEach((topic, n) -> refusedByTopic.merge(topic, n, Long::sum));
        }
    }

    /** Values refused because their message was larger than the broker takes. */
    long refusedOversized() {
        return oversized.get();
    }

    /** Filters, encodes and appends; returns how many were refused. */
    private int accept(List<TagValue> values, Encoder encoder, boolean sealNow) {
        int refused = 0;
        long now = System.currentTimeMillis();
        for (int i = 0, n = values.size(); i < n; i++) {
            TagValue v = values.get(i);
            String thing = thingOf.apply(v.connectionId(), v.tag());
            if (!s.things.matches(thing) || !s.tags.matchesTag(v.connectionId(), v.tag())) {
                continue;
            }
            String topic = encoder.topic(v.connectionId(), thing, v);
            if (!profile.batched()) {
                refused += append(topic, encoder.single(v, thing), now, 1);
            } else {
                refused += addToBatch(topic, thing, v, encoder);
            }
        }
        if (sealNow && profile.batched()) {
            refused += sealAll(encoder, true);
        }
        return refused;
    }

    /**
     * Appends one message carrying {@code values} values; returns how many values were refused. A
     * refusal (outbox full with policy refuse, or larger than the broker takes) is counted per
     * topic and marked on the topic's next message, so a consumer sees the gap.
     */
    private int append(String topic, byte[] payload, long enqueueMillis, int values) {
        synchronized (refusedByTopic) {
            Long gap = refusedByTopic.get(topic);
            byte[] stored = gap != null && profile.jsonPayloads() ? PayloadEncoder.withGap(payload, gap) : payload;
            byte[] record = Outbox.record(topic, stored, enqueueMillis);
            if (packetSize(record) > s.maxPacketBytes) {
                oversized.addAndGet(values);
                refusedByTopic.merge(topic, (long) values, Long::sum);
                LOG.warn("Uplink {}: a message of {} bytes to {} is larger than max.packet.bytes {}; {} values "
                        + "refused", s.name, record.length, topic, s.maxPacketBytes, values);
                return values;
            }
            if (store.apply(record) == Outbox.Append.REFUSED) {
                refusedValues.addAndGet(values);
                refusedByTopic.merge(topic, (long) values, Long::sum);
                return values;
            }
            if (gap != null) {
                refusedByTopic.remove(topic);
            }
            return 0;
        }
    }

    /** The size of the PUBLISH packet the record becomes: header, topic, packet id, payload with seq and flags. */
    static long packetSize(byte[] record) {
        int offset = Outbox.payloadOffset(record);
        long topicBytes = offset - Outbox.HEADER;
        long payload = record.length - offset + SPLICED_FIELDS;
        return 5 + 2 + topicBytes + 2 + payload;
    }

    private int addToBatch(String topic, String thing, TagValue v, Encoder encoder) {
        synchronized (open) {
            OpenBatch b = open.computeIfAbsent(topic, t -> new OpenBatch(thing));
            int size = PayloadEncoder.estimate(v);
            int refused = 0;
            if (!b.values.isEmpty() && b.bytes + size > s.batchMaxBytes) {
                refused += seal(topic, b, encoder);
                open.remove(topic);
                b = new OpenBatch(thing);
                open.put(topic, b);
            }
            b.values.add(v);
            b.bytes += size;
            if (b.values.size() >= s.batchMaxValues) {
                refused += seal(topic, b, encoder);
                open.remove(topic);
            }
            return refused;
        }
    }

    private int seal(String topic, OpenBatch b, Encoder encoder) {
        return append(topic, encoder.batch(b.thing, b.values), System.currentTimeMillis(), b.values.size());
    }

    private int sealAll(Encoder encoder, boolean all) {
        int refused = 0;
        long lingerNanos = TimeUnit.MILLISECONDS.toNanos(s.batchLingerMs);
        long now = System.nanoTime();
        synchronized (open) {
            var it = open.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (all || now - e.getValue().started >= lingerNanos) {
                    refused += seal(e.getKey(), e.getValue(), encoder);
                    it.remove();
                }
            }
        }
        return refused;
    }
}
