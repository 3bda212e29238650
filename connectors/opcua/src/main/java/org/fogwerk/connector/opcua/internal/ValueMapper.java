package org.fogwerk.connector.opcua.internal;

import java.lang.reflect.Array;
import java.math.BigInteger;

import org.eclipse.milo.opcua.stack.core.BuiltinDataType;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.fogwerk.api.DataType;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.support.connector.Floats;

/** Converts between OPC UA values and the node's few value types, both ways. */
final class ValueMapper {

    private ValueMapper() {
    }

    static Quality quality(StatusCode status) {
        if (status == null || status.isGood()) {
            return Quality.GOOD;
        }
        return status.isUncertain() ? Quality.UNCERTAIN : Quality.BAD;
    }

    /** The status's symbolic name, such as {@code Bad_NodeIdUnknown}. */
    static String statusName(StatusCode status) {
        if (status == null) {
            return "Good";
        }
        return StatusCodes.lookup(status.getValue()).map(n -> n[0])
                .orElse(String.format("0x%08X", status.getValue()));
    }

    static TagValue toTagValue(String connectionId, String tag, DataValue dv, long receivedTime) {
        StatusCode status = dv.getStatusCode();
        Quality quality = quality(status);
        Object value;
        try {
            value = toJava(dv.getValue() == null ? null : dv.getValue().getValue());
        } catch (RuntimeException e) {
            return TagValue.of(connectionId, tag, null, Quality.BAD, "value cannot be converted: " + e.getMessage(),
                    receivedTime, receivedTime);
        }
        long source = time(dv.getSourceTime(), time(dv.getServerTime(), receivedTime));
        if (value == null && quality != Quality.BAD) {
            return TagValue.of(connectionId, tag, null, Quality.BAD,
                    quality == Quality.GOOD ? "null value" : statusName(status), source, receivedTime);
        }
        return TagValue.of(connectionId, tag, value, quality, quality == Quality.GOOD ? null : statusName(status),
                source, receivedTime);
    }

    private static long time(DateTime t, long fallback) {
        return t == null || t.getUtcTime() == 0 ? fallback : t.getJavaTime();
    }

    /** An OPC UA value as Boolean, Long, Double, String, byte[] or an array of those. */
    static Object toJava(Object v) {
        if (v == null) {
            return null;
        }
        if (v.getClass().isArray()) {
            return arrayToJava(v);
        }
        if (v instanceof Boolean || v instanceof Long || v instanceof Double || v instanceof String) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof UByte || v instanceof UShort || v instanceof UInteger || v instanceof ULong) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return Floats.widen(f);
        }
        if (v instanceof DateTime t) {
            return t.getJavaTime();
        }
        if (v instanceof ByteString b) {
            return b.bytesOrEmpty();
        }
        if (v instanceof LocalizedText t) {
            String text = t.getText();
            return text == null ? "" : text;
        }
        if (v instanceof QualifiedName n) {
            return n.toParseableString();
        }
        if (v instanceof NodeId n) {
            return n.toParseableString();
        }
        if (v instanceof ExpandedNodeId n) {
            return n.toParseableString();
        }
        if (v instanceof StatusCode s) {
            return statusName(s);
        }
        return v.toString();
    }

    private static Object arrayToJava(Object array) {
        int n = Array.getLength(array);
        Class<?> c = array.getClass().getComponentType();
        if (c == byte.class) {
            return array;
        }
        if (c == Boolean.class || c == boolean.class) {
            boolean[] out = new boolean[n];
            for (int i = 0; i < n; i++) {
                Object e = Array.get(array, i);
                out[i] = e != null && (Boolean) e;
            }
            return out;
        }
        if (c == Float.class || c == Double.class || c == float.class || c == double.class) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                Object e = Array.get(array, i);
                out[i] = e == null ? Double.NaN : ((Number) e).doubleValue();
            }
            return out;
        }
        if (Number.class.isAssignableFrom(c) || c == DateTime.class || (c.isPrimitive() && c != char.class)) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                Object e = Array.get(array, i);
                out[i] = e instanceof DateTime ? ((DateTime) e).getJavaTime() : e == null ? 0 : ((Number) e).longValue();
            }
            return out;
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            Object e = Array.get(array, i);
            Object j = e == null ? "" : toJava(e);
            out[i] = j instanceof String ? (String) j : j instanceof byte[] ? TagValue.good("x", "x", j).valueAsText()
                    : j.getClass().isArray() ? TagValue.good("x", "x", j).valueAsText() : j.toString();
        }
        return out;
    }

    /** The node's type as the rest of the node sees it, from the DataType attribute. */
    static DataType dataType(NodeId typeId) {
        BuiltinDataType b = builtin(typeId);
        if (b == null) {
            return DataType.STRING;
        }
        return switch (b) {
            case Boolean -> DataType.BOOLEAN;
            case SByte, Int16 -> DataType.INT16;
            case Byte, UInt16 -> DataType.UINT16;
            case Int32 -> DataType.INT32;
            case UInt32 -> DataType.UINT32;
            case Int64, DateTime -> DataType.INT64;
            case UInt64 -> DataType.UINT64;
            case Float -> DataType.FLOAT;
            case Double -> DataType.DOUBLE;
            case ByteString -> DataType.BYTES;
            default -> DataType.STRING;
        };
    }

    /** The name of a standard built-in type ({@code Double}), the node id of any other type. */
    static String typeName(NodeId typeId) {
        BuiltinDataType b = builtin(typeId);
        return b != null && typeId.getNamespaceIndex().intValue() == 0 && BuiltinDataType.fromNodeId(typeId) != null
                ? b.name() : typeId.toParseableString();
    }

    /** The built-in type of a data type node id, knowing the common subtypes of the standard. */
    static BuiltinDataType builtin(NodeId typeId) {
        if (typeId == null) {
            return null;
        }
        BuiltinDataType b = BuiltinDataType.fromNodeId(typeId);
        if (b != null) {
            return b;
        }
        if (typeId.equals(Identifiers.Duration)) {
            return BuiltinDataType.Double;
        }
        if (typeId.equals(Identifiers.UtcTime)) {
            return BuiltinDataType.DateTime;
        }
        if (typeId.equals(Identifiers.Enumeration) || typeId.equals(Identifiers.Integer)) {
            return BuiltinDataType.Int32;
        }
        if (typeId.equals(Identifiers.Number)) {
            return BuiltinDataType.Double;
        }
        if (typeId.equals(Identifiers.UInteger) || typeId.equals(Identifiers.IntegerId)
                || typeId.equals(Identifiers.Counter)) {
            return BuiltinDataType.UInt32;
        }
        if (typeId.equals(Identifiers.LocaleId) || typeId.equals(Identifiers.NumericRange)) {
            return BuiltinDataType.String;
        }
        return null;
    }

    /**
     * A value from the node converted to the OPC UA type of the node it goes to.
     *
     * @throws IllegalArgumentException when it does not fit
     */
    static Variant toVariant(Object value, NodeId typeId) {
        BuiltinDataType b = builtin(typeId);
        if (b == null) {
            throw new IllegalArgumentException("the node's data type " + typeId.toParseableString()
                    + " is not a built-in scalar type this connector can write");
        }
        switch (b) {
            case Boolean:
                return new Variant(DataType.BOOLEAN.coerce(value));
            case SByte:
                return new Variant((byte) integer(value, Byte.MIN_VALUE, Byte.MAX_VALUE, "sbyte"));
            case Byte:
                return new Variant(UByte.valueOf(integer(value, 0, 255, "byte")));
            case Int16:
                return new Variant((short) integer(value, Short.MIN_VALUE, Short.MAX_VALUE, "int16"));
            case UInt16:
                return new Variant(UShort.valueOf((int) integer(value, 0, 0xFFFF, "uint16")));
            case Int32:
                return new Variant((int) integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "int32"));
            case UInt32:
                return new Variant(UInteger.valueOf(integer(value, 0, 0xFFFF_FFFFL, "uint32")));
            case Int64:
                return new Variant(integer(value, Long.MIN_VALUE, Long.MAX_VALUE, "int64"));
            case UInt64: {
                Object n = DataType.UINT64.coerce(value); // a BigInteger above Long.MAX_VALUE
                return new Variant(n instanceof BigInteger big ? ULong.valueOf(big) : ULong.valueOf((Long) n));
            }
            case Float: {
                double d = (Double) DataType.DOUBLE.coerce(value);
                if (Math.abs(d) > Float.MAX_VALUE && !Double.isInfinite(d)) {
                    throw new IllegalArgumentException(d + " is outside the range of float");
                }
                return new Variant((float) d);
            }
            case Double:
                return new Variant(DataType.DOUBLE.coerce(value));
            case String:
                return new Variant(DataType.STRING.coerce(value));
            case LocalizedText:
                return new Variant(LocalizedText.english((String) DataType.STRING.coerce(value)));
            case ByteString:
                return new Variant(ByteString.of((byte[]) DataType.BYTES.coerce(value)));
            case DateTime:
                return new Variant(new DateTime(java.time.Instant.ofEpochMilli(
                        integer(value, Long.MIN_VALUE, Long.MAX_VALUE, "datetime"))));
            default:
                throw new IllegalArgumentException("writing " + b.name() + " nodes is not supported");
        }
    }

    private static long integer(Object value, long min, long max, String type) {
        long n = (Long) DataType.INT64.coerce(value);
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is outside the range of " + type + " (" + min + ".." + max + ")");
        }
        return n;
    }
}
