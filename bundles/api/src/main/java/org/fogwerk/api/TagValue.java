package org.fogwerk.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * One value of one tag of one connection, as the node received it. Immutable.
 *
 * <p>The value is {@code null} only when it could not be read (quality {@link Quality#BAD}).
 * Otherwise it is a {@link Boolean}, {@link Long}, {@link Double}, {@link String},
 * {@code byte[]}, or an array {@code boolean[]}, {@code long[]}, {@code double[]},
 * {@code String[]}; other boxed numbers are widened on construction. Arrays are copied in and
 * out, so nobody can change a value after it was accepted.
 *
 * <p>Timestamps are epoch milliseconds: {@code sourceTime} when the machine sampled the value
 * (the received time where the protocol has none), {@code receivedTime} when the node got it.
 */
public final class TagValue {

    private final String connectionId;
    private final String tag;
    private final Object value;
    private final Quality quality;
    private final String qualityReason;
    private final long sourceTime;
    private final long receivedTime;

    private TagValue(String connectionId, String tag, Object value, Quality quality, String qualityReason,
            long sourceTime, long receivedTime) {
        this.connectionId = requireName(connectionId, "connection id");
        this.tag = requireName(tag, "tag name");
        this.quality = Objects.requireNonNull(quality, "quality");
        this.value = normalise(value);
        if (this.value == null && quality != Quality.BAD) {
            throw new IllegalArgumentException("tag " + tag + ": a value is required unless the quality is BAD");
        }
        this.qualityReason = qualityReason == null || qualityReason.isEmpty() ? null : qualityReason;
        this.sourceTime = sourceTime;
        this.receivedTime = receivedTime;
    }

    /** A GOOD value sampled now. */
    public static TagValue good(String connectionId, String tag, Object value) {
        long now = System.currentTimeMillis();
        return new TagValue(connectionId, tag, value, Quality.GOOD, null, now, now);
    }

    /** A GOOD value with the machine's own timestamp. */
    public static TagValue good(String connectionId, String tag, Object value, long sourceTime, long receivedTime) {
        return new TagValue(connectionId, tag, value, Quality.GOOD, null, sourceTime, receivedTime);
    }

    /** A value of any quality; {@code reason} says why it is not GOOD. */
    public static TagValue of(String connectionId, String tag, Object value, Quality quality, String reason,
            long sourceTime, long receivedTime) {
        return new TagValue(connectionId, tag, value, quality, reason, sourceTime, receivedTime);
    }

    /** A value that could not be read, with the reason (for example the protocol's error). */
    public static TagValue bad(String connectionId, String tag, String reason) {
        long now = System.currentTimeMillis();
        return new TagValue(connectionId, tag, null, Quality.BAD, Objects.requireNonNull(reason, "reason"), now, now);
    }

    public String connectionId() {
        return connectionId;
    }

    public String tag() {
        return tag;
    }

    /** The value; arrays come back as copies. */
    public Object value() {
        return value != null && value.getClass().isArray() ? copyArray(value) : value;
    }

    public Quality quality() {
        return quality;
    }

    /** Why the quality is not GOOD, or {@code null}. */
    public String qualityReason() {
        return qualityReason;
    }

    public long sourceTime() {
        return sourceTime;
    }

    public long receivedTime() {
        return receivedTime;
    }

    public Instant sourceInstant() {
        return Instant.ofEpochMilli(sourceTime);
    }

    /** The value as text for people: arrays as {@code [a, b]}, bytes in hex. */
    public String valueAsText() {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[]) {
            StringBuilder sb = new StringBuilder("0x");
            for (byte b : (byte[]) value) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        }
        if (value instanceof boolean[]) {
            return Arrays.toString((boolean[]) value);
        }
        if (value instanceof long[]) {
            return Arrays.toString((long[]) value);
        }
        if (value instanceof double[]) {
            return Arrays.toString((double[]) value);
        }
        if (value instanceof String[]) {
            return Arrays.toString((String[]) value);
        }
        return value.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TagValue)) {
            return false;
        }
        TagValue other = (TagValue) o;
        return sourceTime == other.sourceTime && receivedTime == other.receivedTime
                && connectionId.equals(other.connectionId) && tag.equals(other.tag) && quality == other.quality
                && Objects.equals(qualityReason, other.qualityReason)
                && Objects.deepEquals(value, other.value);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(connectionId, tag, quality, sourceTime);
        return 31 * h + Arrays.deepHashCode(new Object[] {value});
    }

    @Override
    public String toString() {
        return connectionId + "/" + tag + "=" + valueAsText() + " (" + quality
                + (qualityReason == null ? "" : ": " + qualityReason) + ", " + sourceInstant() + ")";
    }

    private static String requireName(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("a " + what + " is required");
        }
        return s;
    }

    private static Object normalise(Object v) {
        if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Double || v instanceof String) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float) {
            return ((Float) v).doubleValue();
        }
        if (v instanceof byte[] || v instanceof boolean[] || v instanceof long[] || v instanceof double[]
                || v instanceof String[]) {
            return copyArray(v);
        }
        if (v instanceof int[]) {
            return Arrays.stream((int[]) v).asLongStream().toArray();
        }
        if (v instanceof short[]) {
            short[] s = (short[]) v;
            return IntStream.range(0, s.length).mapToLong(i -> s[i]).toArray();
        }
        if (v instanceof float[]) {
            float[] f = (float[]) v;
            return IntStream.range(0, f.length).mapToDouble(i -> f[i]).toArray();
        }
        throw new IllegalArgumentException("values of type " + v.getClass().getName() + " cannot travel as tag values");
    }

    private static Object copyArray(Object v) {
        if (v instanceof byte[]) {
            return ((byte[]) v).clone();
        }
        if (v instanceof boolean[]) {
            return ((boolean[]) v).clone();
        }
        if (v instanceof long[]) {
            return ((long[]) v).clone();
        }
        if (v instanceof double[]) {
            return ((double[]) v).clone();
        }
        return ((String[]) v).clone();
    }
}
