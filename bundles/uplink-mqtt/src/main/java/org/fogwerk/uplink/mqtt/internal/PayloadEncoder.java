package org.fogwerk.uplink.mqtt.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.fogwerk.api.TagValue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes message payloads. The stored payload has no {@code seq}: the sender splices
 * {@code "seq":N} (and {@code "replayed":true}) in after the opening brace when it publishes.
 */
final class PayloadEncoder {

    private static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLAYED = ",\"replayed\":true".getBytes(StandardCharsets.US_ASCII);

    private final JsonFactory factory;
    private final String node;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    /**
     * One generator for every payload, writing each as a root value of its own (no separator
     * between them) into {@link #out}, which is emptied before each: a generator per value, with
     * its context and buffers, was most of what the uplink allocated per value.
     */
    private JsonGenerator generator;

    PayloadEncoder(JsonFactory factory, String node) {
        this.factory = factory;
        this.node = node;
    }

    byte[] single(TagValue v, String thing) {
        return encode(thing, g -> fields(g, v));
    }

    byte[] batch(String thing, List<TagValue> values) {
        return encode(thing, g -> {
            g.writeArrayFieldStart("values");
            for (TagValue v : values) {
                g.writeStartObject();
                fields(g, v);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** {@code {"node":..,"thing":.., <body>}} as a payload of its own. */
    private byte[] encode(String thing, Body body) {
        out.reset();
        try {
            JsonGenerator g = generator();
            g.writeStartObject();
            g.writeStringField("node", node);
            g.writeStringField("thing", thing);
            body.write(g);
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            generator = null; // left inside a value: the next payload starts with a new one
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            generator = null;
            throw e;
        }
        return out.toByteArray();
    }

    private JsonGenerator generator() throws IOException {
        if (generator == null) {
            generator = factory.createGenerator(out);
            generator.setRootValueSeparator(null);
        }
        return generator;
    }

    /** Approximate encoded size of one value inside a batch, for the byte limit. */
    static int estimate(TagValue v) {
        Object value = v.value();
        int valueSize = value instanceof String ? ((String) value).length() + 2
                : value instanceof byte[] ? ((byte[]) value).length * 4 / 3 + 4
                : value != null && value.getClass().isArray() ? 16 * java.lang.reflect.Array.getLength(value) : 24;
        return 100 + v.connectionId().length() + v.tag().length() + valueSize;
    }

    private static void fields(JsonGenerator g, TagValue v) throws IOException {
        g.writeStringField("connection", v.connectionId());
        g.writeStringField("tag", v.tag());
        g.writeFieldName("value");
        writeValue(g, v.value());
        g.writeStringField("quality", v.quality().name());
        if (v.qualityReason() != null) {
            g.writeStringField("reason", v.qualityReason());
        }
        g.writeNumberField("sourceTime", v.sourceTime());
        g.writeNumberField("receivedTime", v.receivedTime());
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Long) {
            g.writeNumber((Long) value);
        } else if (value instanceof Double) {
            double d = (Double) value;
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.toString(d));
            }
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof byte[]) {
            g.writeString(Base64.getEncoder().encodeToString((byte[]) value));
        } else if (value instanceof boolean[]) {
            g.writeStartArray();
            for (boolean b : (boolean[]) value) {
                g.writeBoolean(b);
            }
            g.writeEndArray();
        } else if (value instanceof long[]) {
            long[] a = (long[]) value;
            g.writeArray(a, 0, a.length);
        } else if (value instanceof double[]) {
            g.writeStartArray();
            for (double d : (double[]) value) {
                writeValue(g, d);
            }
            g.writeEndArray();
        } else if (value instanceof String[]) {
            String[] a = (String[]) value;
            g.writeArray(a, 0, a.length);
        } else {
            g.writeString(value.toString());
        }
    }

    /**
     * A stored payload with {@code "gap":N} first: N values of this topic were refused since its
     * previous message.
     */
    static byte[] withGap(byte[] payload, long refused) {
        byte[] gap = ("{\"gap\":" + refused + ",").getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[gap.length + payload.length - 1];
        System.arraycopy(gap, 0, p, 0, gap.length);
        System.arraycopy(payload, 1, p, gap.length, payload.length - 1);
        return p;
    }

    /** The payload as published: {@code {"seq":N[,"replayed":true],<stored fields>}. */
    static byte[] published(byte[] record, int offset, long seq, boolean replayed) {
        byte[] seqText = Long.toString(seq).getBytes(StandardCharsets.US_ASCII);
        int body = record.length - offset - 1; // without the stored '{'
        int len = SEQ.length + seqText.length + (replayed ? REPLAYED.length : 0) + 1 + body;
        byte[] p = new byte[len];
        int i = 0;
        System.arraycopy(SEQ, 0, p, i, SEQ.length);
        i += SEQ.length;
        System.arraycopy(seqText, 0, p, i, seqText.length);
        i += seqText.length;
        if (replayed) {
            System.arraycopy(REPLAYED, 0, p, i, REPLAYED.length);
            i += REPLAYED.length;
        }
        p[i++] = ',';
        System.arraycopy(record, offset + 1, p, i, body);
        return p;
    }
}
