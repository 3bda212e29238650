package org.fogwerk.uplink.sparkplug.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric.ValueCase;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertySet;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.PropertyValue;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;

import com.google.protobuf.ByteString;

/**
 * Sparkplug datatypes of node values and the metric value fields they travel in: integers up
 * to 32 bits in {@code int_value}, 64-bit ones in {@code long_value}, arrays as little-endian
 * packed {@code bytes_value} (Sparkplug 3.0).
 */
final class SparkplugValues {

    /**
     * The quality codes Sparkplug allows for the metric property {@code Quality}: 0 BAD, 192 GOOD,
     * 500 STALE. GOOD (192) is what a metric without the property is, so only the others are sent.
     */
    static final int QUALITY_BAD = 0;
    static final int QUALITY_STALE = 500;

    private static final PropertySet BAD = quality(QUALITY_BAD);
    private static final PropertySet STALE = quality(QUALITY_STALE);

    private SparkplugValues() {
    }

    /** The datatype of a tag of the node's type, as a scalar or, for array values, as the array type. */
    static int datatype(org.fogwerk.api.DataType type, boolean array) {
        switch (type) {
            case BOOLEAN: return array ? DataType.BooleanArray_VALUE : DataType.Boolean_VALUE;
            case INT16: return array ? DataType.Int16Array_VALUE : DataType.Int16_VALUE;
            case UINT16: return array ? DataType.UInt16Array_VALUE : DataType.UInt16_VALUE;
            case INT32: return array ? DataType.Int32Array_VALUE : DataType.Int32_VALUE;
            case UINT32: return array ? DataType.UInt32Array_VALUE : DataType.UInt32_VALUE;
            case INT64: return array ? DataType.Int64Array_VALUE : DataType.Int64_VALUE;
            case UINT64: return array ? DataType.UInt64Array_VALUE : DataType.UInt64_VALUE;
            case FLOAT: return array ? DataType.FloatArray_VALUE : DataType.Float_VALUE;
            case DOUBLE: return array ? DataType.DoubleArray_VALUE : DataType.Double_VALUE;
            case STRING: return array ? DataType.StringArray_VALUE : DataType.String_VALUE;
            default: return DataType.Bytes_VALUE;
        }
    }

    /** The datatype of a value whose tag has no definition: by its Java type. */
    static int datatypeOf(Object value) {
        if (value instanceof Boolean) {
            return DataType.Boolean_VALUE;
        }
        if (value instanceof Long) {
            return DataType.Int64_VALUE;
        }
        if (value instanceof Double) {
            return DataType.Double_VALUE;
        }
        if (value instanceof String) {
            return DataType.String_VALUE;
        }
        if (value instanceof boolean[]) {
            return DataType.BooleanArray_VALUE;
        }
        if (value instanceof long[]) {
            return DataType.Int64Array_VALUE;
        }
        if (value instanceof double[]) {
            return DataType.DoubleArray_VALUE;
        }
        if (value instanceof String[]) {
            return DataType.StringArray_VALUE;
        }
        return DataType.Bytes_VALUE;
    }

    static String name(int datatype) {
        DataType t = DataType.forNumber(datatype);
        return t == null ? Integer.toString(datatype) : t.name();
    }

    /**
     * Sets timestamp, value (or {@code is_null}) and, when not GOOD, the {@code Quality} property.
     * Returns {@code false} when a value was there but does not fit the datatype (sent as null).
     */
    static boolean set(Metric.Builder m, int datatype, TagValue v) {
        m.setTimestamp(v.sourceTime());
        if (v.quality() == Quality.BAD) {
            // whatever the machine sent with a bad status is not a value a host may use
            m.setIsNull(true).setProperties(BAD);
            return true;
        }
        Object value = v.value();
        boolean fits = value == null || setValue(m, datatype, value);
        if (value == null || !fits) {
            m.setIsNull(true);
        }
        if (v.quality() == Quality.UNCERTAIN) {
            m.setProperties(STALE); // Sparkplug has no "uncertain": a value that may no longer hold is stale
        }
        return fits;
    }


    /** Puts a value into the field of its datatype; {@code false} when it cannot be represented. */
    static boolean setValue(Metric.Builder m, int datatype, Object value) {
        switch (datatype) {
            case DataType.Int8_VALUE:
            case DataType.Int16_VALUE:
            case DataType.Int32_VALUE:
            case DataType.UInt8_VALUE:
            case DataType.UInt16_VALUE:
            case DataType.UInt32_VALUE:
                if (!(value instanceof Number) && !(value instanceof Boolean)) {
                    return false;
                }
                m.setIntValue((int) asLong(value));
                return true;
            case DataType.Int64_VALUE:
            case DataType.UInt64_VALUE:
            case DataType.DateTime_VALUE:
                if (!(value instanceof Number) && !(value instanceof Boolean)) {
                    return false;
                }
                m.setLongValue(asLong(value));
                return true;
            case DataType.Float_VALUE:
                if (!(value instanceof Number)) {
                    return false;
                }
                m.setFloatValue(((Number) value).floatValue());
                return true;
            case DataType.Double_VALUE:
                if (!(value instanceof Number)) {
                    return false;
                }
                m.setDoubleValue(((Number) value).doubleValue());
                return true;
            case DataType.Boolean_VALUE:
                if (value instanceof Boolean) {
                    m.setBooleanValue((Boolean) value);
                    return true;
                }
                if (value instanceof Number) {
                    m.setBooleanValue(((Number) value).doubleValue() != 0);
                    return true;
                }
                return false;
            case DataType.String_VALUE:
            case DataType.Text_VALUE:
            case DataType.UUID_VALUE:
                if (value.getClass().isArray()) {
                    return false;
                }
                m.setStringValue(value.toString());
                return true;
            case DataType.Bytes_VALUE:
                if (!(value instanceof byte[])) {
                    return false;
                }
                m.setBytesValue(ByteString.copyFrom((byte[]) value));
                return true;
            default:
                byte[] packed = packArray(datatype, value);
                if (packed == null) {
                    return false;
                }
                m.setBytesValue(ByteString.copyFrom(packed));
                return true;
        }
    }

    private static long asLong(Object value) {
        if (value instanceof Boolean) {
            return (Boolean) value ? 1 : 0;
        }
        if (value instanceof Double) {
            return Math.round((Double) value);
        }
        return ((Number) value).longValue();
    }

    /** Sparkplug 3.0 array encodings; {@code null} when the value is not an array of a fitting kind. */
    static byte[] packArray(int datatype, Object value) {
        switch (datatype) {
            case DataType.Int8Array_VALUE:
            case DataType.UInt8Array_VALUE:
                return value instanceof long[] ? packIntegers((long[]) value, 1) : null;
            case DataType.Int16Array_VALUE:
            case DataType.UInt16Array_VALUE:
                return value instanceof long[] ? packIntegers((long[]) value, 2) : null;
            case DataType.Int32Array_VALUE:
            case DataType.UInt32Array_VALUE:
                return value instanceof long[] ? packIntegers((long[]) value, 4) : null;
            case DataType.Int64Array_VALUE:
            case DataType.UInt64Array_VALUE:
            case DataType.DateTimeArray_VALUE:
                return value instanceof long[] ? packIntegers((long[]) value, 8) : null;
            case DataType.FloatArray_VALUE:
                return value instanceof double[] ? packReals((double[]) value, 4) : null;
            case DataType.DoubleArray_VALUE:
                return value instanceof double[] ? packReals((double[]) value, 8) : null;
            case DataType.BooleanArray_VALUE: {
                if (!(value instanceof boolean[])) {
                    return null;
                }
                // a little-endian count, then the values packed eight to a byte, first value in the top bit
                boolean[] bits = (boolean[]) value;
                ByteBuffer b = ByteBuffer.allocate(4 + (bits.length + 7) / 8).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(bits.length);
                byte[] out = b.array();
                for (int i = 0; i < bits.length; i++) {
                    if (bits[i]) {
                        out[4 + i / 8] |= (byte) (0x80 >>> (i % 8));
                    }
                }
                return out;
            }
            case DataType.StringArray_VALUE: {
                if (!(value instanceof String[])) {
                    return null;
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (String s : (String[]) value) {
                    byte[] utf8 = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
                    out.write(utf8, 0, utf8.length);
                    out.write(0);
                }
                return out.toByteArray();
            }
            default:
                return null;
        }
    }

    private static byte[] packIntegers(long[] values, int width) {
        ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (width) {
                case 1: b.put((byte) v); break;
                case 2: b.putShort((short) v); break;
                case 4: b.putInt((int) v); break;
                default: b.putLong(v); break;
            }
        }
        return b.array();
    }

    /** {@code values} little-endian, each as a float ({@code width} 4) or a double (8). */
    private static byte[] packReals(double[] values, int width) {
        ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (width == 4) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    /**
     * The value of a command metric as the node's Java type, checked against the metric's
     * datatype: a command for a Boolean metric must carry {@code boolean_value}, and so on.
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    static Object commandValue(Metric m, int datatype) {
        if (m.hasDatatype() && m.getDatatype() != datatype) {
            throw new IllegalArgumentException("datatype " + name(m.getDatatype()) + " where the birth said "
                    + name(datatype));
        }
        if (m.hasIsNull() && m.getIsNull()) {
            throw new IllegalArgumentException("a null value cannot be written");
        }
        return switch (datatype) {
            case DataType.Int8_VALUE, DataType.Int16_VALUE, DataType.Int32_VALUE ->
                    (long) carrying(m, ValueCase.INT_VALUE, datatype).getIntValue();
            case DataType.UInt8_VALUE, DataType.UInt16_VALUE, DataType.UInt32_VALUE -> m.hasLongValue() ? m.getLongValue()
                    : Integer.toUnsignedLong(carrying(m, ValueCase.INT_VALUE, datatype).getIntValue());
            case DataType.Int64_VALUE, DataType.UInt64_VALUE, DataType.DateTime_VALUE ->
                    carrying(m, ValueCase.LONG_VALUE, datatype).getLongValue();
            case DataType.Float_VALUE -> (double) carrying(m, ValueCase.FLOAT_VALUE, datatype).getFloatValue();
            case DataType.Double_VALUE -> carrying(m, ValueCase.DOUBLE_VALUE, datatype).getDoubleValue();
            case DataType.Boolean_VALUE -> carrying(m, ValueCase.BOOLEAN_VALUE, datatype).getBooleanValue();
            case DataType.String_VALUE, DataType.Text_VALUE, DataType.UUID_VALUE ->
                    carrying(m, ValueCase.STRING_VALUE, datatype).getStringValue();
            case DataType.Bytes_VALUE -> carrying(m, ValueCase.BYTES_VALUE, datatype).getBytesValue().toByteArray();
            default -> throw new IllegalArgumentException("writes of " + name(datatype) + " metrics are not supported");
        };
    }

    /**
     * The metric, which must carry its value in {@code field} ({@code int_value}, ...), the field
     * a metric of {@code datatype} uses.
     */
    private static Metric carrying(Metric m, ValueCase field, int datatype) {
        if (m.getValueCase() != field) {
            throw new IllegalArgumentException("a " + name(datatype) + " metric needs "
                    + field.name().toLowerCase(Locale.ROOT));
        }
        return m;
    }

    private static PropertySet quality(int code) {
        // Sparkplug: the Quality property is a signed 32-bit integer (type 3)
        return PropertySet.newBuilder().addKeys("Quality")
                .addValues(PropertyValue.newBuilder().setType(DataType.Int32_VALUE).setIntValue(code)).build();
    }
}
