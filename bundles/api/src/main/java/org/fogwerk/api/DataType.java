package org.fogwerk.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;

/**
 * The data types a tag can have on the machine side. Values travel in a few Java types only:
 * {@link Boolean}, {@link Long} for every integer type, {@link Double} for both floating point
 * types, {@link String}, {@code byte[]}, and arrays of those ({@code boolean[]}, {@code long[]},
 * {@code double[]}, {@code String[]}). One exception: a {@code uint64} above
 * {@code Long.MAX_VALUE} that is to be written ({@link #coerce}) is a {@link BigInteger}.
 */
public enum DataType {
    BOOLEAN(Boolean.class, 0, 1),
    INT16(Long.class, Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16(Long.class, 0, 0xFFFF),
    INT32(Long.class, Integer.MIN_VALUE, Integer.MAX_VALUE),
    UINT32(Long.class, 0, 0xFFFF_FFFFL),
    INT64(Long.class, Long.MIN_VALUE, Long.MAX_VALUE),
    /**
     * Read as a signed long: values above {@code Long.MAX_VALUE} wrap, as in Sparkplug B. A value
     * to be written ({@link #coerce}) lies in 0..2^64-1, above {@code Long.MAX_VALUE} as a
     * {@link BigInteger}, so that checking it again gives the same value.
     */
    UINT64(Long.class, Long.MIN_VALUE, Long.MAX_VALUE),
    FLOAT(Double.class, 0, 0),
    DOUBLE(Double.class, 0, 0),
    STRING(String.class, 0, 0),
    BYTES(byte[].class, 0, 0);

    private final Class<?> javaType;
    private final long minInteger;
    private final long maxInteger;

    DataType(Class<?> javaType, long minInteger, long maxInteger) {
        this.javaType = javaType;
        this.minInteger = minInteger;
        this.maxInteger = maxInteger;
    }

    /** The Java type a scalar value of this type travels as. */
    public Class<?> javaType() {
        return javaType;
    }

    public boolean isInteger() {
        return javaType == Long.class;
    }

    public boolean isNumeric() {
        return javaType == Long.class || javaType == Double.class;
    }

    /**
     * Converts a value given by a user or a rule into this type, refusing what would lose
     * information: a fraction into an integer type, an integer out of the type's range, text
     * that is not a number.
     *
     * @throws IllegalArgumentException saying why the value does not fit
     */
    public Object coerce(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("a value is required");
        }
        switch (this) {
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof Number) {
                    long n = ((Number) value).longValue();
                    if ((n == 0 || n == 1) && ((Number) value).doubleValue() == n) {
                        return n == 1;
                    }
                }
                if (value instanceof String) {
                    String s = ((String) value).trim().toLowerCase(Locale.ROOT);
                    if (s.equals("true") || s.equals("1")) {
                        return Boolean.TRUE;
                    }
                    if (s.equals("false") || s.equals("0")) {
                        return Boolean.FALSE;
                    }
                }
                throw new IllegalArgumentException("'" + value + "' is not a boolean (use true or false)");
            case FLOAT:
            case DOUBLE:
                if (value instanceof Number) {
                    return ((Number) value).doubleValue();
                }
                if (value instanceof String) {
                    try {
                        return Double.parseDouble(((String) value).trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + value + "' is not a number");
                    }
                }
                throw new IllegalArgumentException("'" + value + "' is not a number");
            case STRING:
                if (value instanceof byte[] || value.getClass().isArray()) {
                    throw new IllegalArgumentException("an array is not a string");
                }
                return value.toString();
            case BYTES:
                if (value instanceof byte[]) {
                    return ((byte[]) value).clone();
                }
                throw new IllegalArgumentException("a byte array is required");
            default:
                return coerceInteger(value);
        }
    }

    private Object coerceInteger(Object value) {
        if (this != UINT64 && (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte)) {
            long n = ((Number) value).longValue();
            if (n < minInteger || n > maxInteger) {
                throw outsideRange(BigInteger.valueOf(n));
            }
            return n;
        }
        BigInteger n = wholeNumber(value);
        if (n.compareTo(BigInteger.valueOf(this == UINT64 ? 0 : minInteger)) < 0
                || n.compareTo(this == UINT64 ? UINT64_MAX : BigInteger.valueOf(maxInteger)) > 0) {
            throw outsideRange(n);
        }
        // a uint64 above Long.MAX_VALUE stays exact: as a wrapped long a second check would refuse it
        return n.bitLength() < Long.SIZE ? (Object) n.longValue() : n;
    }

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private IllegalArgumentException outsideRange(BigInteger n) {
        Object max = this == UINT64 ? UINT64_MAX : maxInteger;
        return new IllegalArgumentException(n + " is outside the range of " + name().toLowerCase(Locale.ROOT) + " ("
                + (this == UINT64 ? 0 : minInteger) + ".." + max + ")");
    }

    /** The exact whole number, whatever its size; never rounded or clamped to a long. */
    private static BigInteger wholeNumber(Object value) {
        try {
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return BigInteger.valueOf(((Number) value).longValue());
            }
            if (value instanceof BigInteger) {
                return (BigInteger) value;
            }
            if (value instanceof BigDecimal) {
                return ((BigDecimal) value).toBigIntegerExact();
            }
            if (value instanceof Number) {
                double d = ((Number) value).doubleValue();
                if (d == Math.rint(d) && !Double.isInfinite(d)) {
                    return new BigDecimal(d).toBigIntegerExact();
                }
            } else if (value instanceof String) {
                return new BigInteger(((String) value).trim());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // not whole, or not a number: said below
        }
        throw new IllegalArgumentException("'" + value + "' is not a whole number");
    }

    /**
     * Parses a type name in any case ({@code float32} and {@code float64} are accepted for
     * {@code FLOAT} and {@code DOUBLE}).
     *
     * @throws IllegalArgumentException listing the accepted names
     */
    public static DataType parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        switch (t) {
            case "FLOAT32":
                return FLOAT;
            case "FLOAT64":
                return DOUBLE;
            case "BOOL":
                return BOOLEAN;
            default:
                for (DataType type : values()) {
                    if (type.name().equals(t)) {
                        return type;
                    }
                }
                throw new IllegalArgumentException("'" + text + "' is not a data type (use one of "
                        + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
        }
    }
}
