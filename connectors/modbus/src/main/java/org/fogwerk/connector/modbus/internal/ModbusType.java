package org.fogwerk.connector.modbus.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fogwerk.api.DataType;

/**
 * A value's machine-side encoding: its kind and, for strings the number of characters, for
 * bits the bit number in the register (0 = least significant).
 */
record ModbusType(Kind kind, int size) {

    enum Kind {
        BOOL(1, DataType.BOOLEAN),
        INT16(1, DataType.INT16),
        UINT16(1, DataType.UINT16),
        INT32(2, DataType.INT32),
        UINT32(2, DataType.UINT32),
        INT64(4, DataType.INT64),
        UINT64(4, DataType.UINT64),
        FLOAT32(2, DataType.FLOAT),
        FLOAT64(4, DataType.DOUBLE),
        STRING(0, DataType.STRING),
        BIT(1, DataType.BOOLEAN);

        final int registers;
        final DataType dataType;

        Kind(int registers, DataType dataType) {
            this.registers = registers;
            this.dataType = dataType;
        }
    }

    private static final Pattern WITH_ARG = Pattern.compile("(string|bit)\\s*\\(\\s*(\\d{1,4})\\s*\\)");

    static ModbusType of(Kind kind) {
        return new ModbusType(kind, 0);
    }

    /** Registers the value takes; 1 for bool and bit (one register, or one coil). */
    int registers() {
        return kind == Kind.STRING ? (size + 1) / 2 : kind.registers;
    }

    DataType dataType() {
        return kind.dataType;
    }

    boolean isBoolean() {
        return kind == Kind.BOOL || kind == Kind.BIT;
    }

    boolean isInteger() {
        return kind.dataType.isInteger();
    }

    @Override
    public String toString() {
        switch (kind) {
            case STRING:
                return "string(" + size + ")";
            case BIT:
                return "bit(" + size + ")";
            default:
                return kind.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses bool, int16, uint16, int32, uint32, int64, uint64, float32, float64 (float and
     * double too), string(n) with n characters (1..250), bit(n) with n 0..15.
     */
    static ModbusType parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = WITH_ARG.matcher(t);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(2));
            if (m.group(1).equals("string")) {
                if (n < 1 || n > 250) {
                    throw new IllegalArgumentException("'" + text + "': a string has 1 to 250 characters");
                }
                return new ModbusType(Kind.STRING, n);
            }
            if (n > 15) {
                throw new IllegalArgumentException("'" + text + "': a register has bits 0 to 15");
            }
            return new ModbusType(Kind.BIT, n);
        }
        switch (t) {
            case "bool":
            case "boolean":
                return of(Kind.BOOL);
            case "float":
                return of(Kind.FLOAT32);
            case "double":
                return of(Kind.FLOAT64);
            default:
                for (Kind k : Kind.values()) {
                    if (k != Kind.STRING && k != Kind.BIT && k.name().toLowerCase(Locale.ROOT).equals(t)) {
                        return of(k);
                    }
                }
                throw new IllegalArgumentException("'" + text + "' is not a data type (use bool, int16, uint16, int32,"
                        + " uint32, int64, uint64, float32, float64, string(n) or bit(n))");
        }
    }
}
