package org.fogwerk.web.internal;

import java.io.IOException;
import java.time.Instant;

import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Tags and tag values written straight to a JSON stream: the API's largest answers (every tag
 * of a connection) and the event stream's values, without a map per tag in between. Not
 * thread-safe: one per request or per event stream client.
 */
final class TagJson {

    // consecutive values mostly share their second: its text is made once
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedPrefix = "";

    /** A tag: its definition (when configured) and its latest value (when one arrived). */
    void tag(JsonGenerator g, String name, TagDefinition d, TagValue v) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        if (d != null) {
            g.writeStringField("address", d.address());
            g.writeStringField("dataType", d.typeName());
            g.writeStringField("access", d.access().name());
            g.writeStringField("unit", d.unit());
            if (d.min() != null) {
                g.writeNumberField("min", d.min());
            }
            if (d.max() != null) {
                g.writeNumberField("max", d.max());
            }
        }
        if (v != null) {
            valueFields(g, v);
        }
        g.writeEndObject();
    }

    /** A value as it travels on the bus, in the {@code value} event of the event stream. */
    void value(JsonGenerator g, TagValue v) throws IOException {
        g.writeStartObject();
        g.writeStringField("connection", v.connectionId());
        g.writeStringField("tag", v.tag());
        valueFields(g, v);
        g.writeEndObject();
    }

    private void valueFields(JsonGenerator g, TagValue v) throws IOException {
        g.writeFieldName("value");
        Object value = v.value();
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Double) {
            double d = (Double) value;
            // JSON has no number for NaN and the infinities: they travel as text
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(value.toString());
            }
        } else if (value instanceof Long) {
            g.writeNumber((Long) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else {
            g.writeObject(value);
        }
        g.writeStringField("quality", v.quality().name());
        if (v.qualityReason() != null) {
            g.writeStringField("qualityReason", v.qualityReason());
        }
        g.writeStringField("sourceTime", instant(v.sourceTime()));
        g.writeStringField("receivedTime", instant(v.receivedTime()));
    }

    /** The same text as {@code Instant.ofEpochMilli(millis).toString()}. */
    String instant(long millis) {
        long second = Math.floorDiv(millis, 1000);
        int milli = (int) Math.floorMod(millis, 1000);
        if (second != cachedSecond) {
            String full = Instant.ofEpochSecond(second).toString();
            cachedPrefix = full.substring(0, full.length() - 1);
            cachedSecond = second;
        }
        if (milli == 0) {
            return cachedPrefix + 'Z';
        }
        StringBuilder sb = new StringBuilder(cachedPrefix.length() + 5).append(cachedPrefix).append('.');
        if (milli < 100) {
            sb.append('0');
        }
        if (milli < 10) {
            sb.append('0');
        }
        return sb.append(milli).append('Z').toString();
    }
}
