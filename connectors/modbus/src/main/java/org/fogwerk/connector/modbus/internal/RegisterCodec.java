package org.fogwerk.connector.modbus.internal;

import java.nio.charset.StandardCharsets;

import org.fogwerk.support.connector.Floats;

/**
 * Turns registers into values and back, per {@link ModbusType} and {@link WordOrder}. Pure
 * functions; decoding allocates nothing but the boxed result (and, for a float32 with a
 * fraction, its shortest decimal text on the way to the double it stands for).
 */
final class RegisterCodec {

    private RegisterCodec() {
    }

    /**
     * Decodes the value starting at {@code words[offset]}.
     *
     * @param words registers as unsigned 16-bit values (0..65535)
     * @return Boolean, Long, Double or String
     */
    static Object decode(int[] words, int offset, ModbusType type, WordOrder order) {
        switch (type.kind()) {
            case STRING:
                return decodeString(words, offset, type.size(), order.byteSwap());
            case BIT:
                return ((word(words, offset, 0, 1, order) >> type.size()) & 1) != 0;
            case BOOL:
                return words[offset] != 0;
            default:
                long v = bits(words, offset, type.registers(), order);
                switch (type.kind()) {
                    case INT16:
                        return (long) (short) v;
                    case UINT16:
                    case UINT32:
                    case INT64:
                    case UINT64:
                        return v;
                    case INT32:
                        return (long) (int) v;
                    case FLOAT32:
                        return Floats.widen(Float.intBitsToFloat((int) v));
                    case FLOAT64:
                        return Double.longBitsToDouble(v);
                    default:
                        throw new IllegalStateException("unhandled type " + type);
                }
        }
    }

    /** The big-endian bit pattern of {@code n} registers (n = 1, 2 or 4), as a long. */
    static long bits(int[] words, int offset, int n, WordOrder order) {
        long v = 0;
        for (int j = 0; j < n; j++) {
            v = (v << 16) | word(words, offset, j, n, order);
        }
        return v;
    }

    /** The j-th most significant word of an n-register value, with the order undone. */
    private static int word(int[] words, int offset, int j, int n, WordOrder order) {
        int w = words[offset + (order.wordSwap() ? n - 1 - j : j)] & 0xFFFF;
        return order.byteSwap() ? swap(w) : w;
    }

    private static int swap(int w) {
        return ((w & 0xFF) << 8) | ((w >> 8) & 0xFF);
    }

    private static String decodeString(int[] words, int offset, int chars, boolean byteSwap) {
        byte[] b = new byte[chars];
        int len = 0;
        for (int i = 0; i < chars; i++) {
            int w = words[offset + i / 2] & 0xFFFF;
            if (byteSwap) {
                w = swap(w);
            }
            int c = (i % 2 == 0) ? (w >> 8) & 0xFF : w & 0xFF;
            if (c == 0) {
                break;
            }
            b[len++] = (byte) c;
        }
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * Encodes a machine-side value into registers: Long for the integer kinds (range already
     * checked), Double for floats, String for strings (cut or zero padded), Boolean for bool
     * on a register (1 or 0). Bits are not encoded here: they need the register's other bits.
     */
    static int[] encode(ModbusType type, WordOrder order, Object value) {
        int n = type.registers();
        int[] out = new int[n];
        switch (type.kind()) {
            case STRING:
                encodeString(out, (String) value, type.size(), order.byteSwap());
                return out;
            case BOOL:
                out[0] = ((Boolean) value) ? 1 : 0;
                return out;
            case BIT:
                throw new IllegalArgumentException("a bit is written with read-modify-write");
            default:
                long v;
                if (type.kind() == ModbusType.Kind.FLOAT32) {
                    v = Float.floatToIntBits(((Number) value).floatValue()) & 0xFFFF_FFFFL;
                } else if (type.kind() == ModbusType.Kind.FLOAT64) {
                    v = Double.doubleToLongBits(((Number) value).doubleValue());
                } else {
                    v = ((Number) value).longValue();
                }
                for (int j = 0; j < n; j++) {
                    int w = (int) (v >>> (16 * (n - 1 - j))) & 0xFFFF;
                    if (order.byteSwap()) {
                        w = swap(w);
                    }
                    out[order.wordSwap() ? n - 1 - j : j] = w;
                }
                return out;
        }
    }

    private static void encodeString(int[] out, String s, int chars, boolean byteSwap) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < chars && i < b.length; i++) {
            int c = b[i] & 0xFF;
            out[i / 2] |= (i % 2 == 0) ? c << 8 : c;
        }
        if (byteSwap) {
            for (int i = 0; i < out.length; i++) {
                out[i] = swap(out[i]);
            }
        }
    }

    /** Sets or clears bit {@code bit} of a register value. */
    static int withBit(int register, int bit, boolean set) {
        return set ? (register | (1 << bit)) & 0xFFFF : register & ~(1 << bit) & 0xFFFF;
    }
}
