package org.fogwerk.simulator.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.fogwerk.api.DataType;

/**
 * Values in Modbus registers: big-endian bytes and words (ABCD). INT16 and UINT16 take one
 * register, INT32 and FLOAT two, DOUBLE four, STRING eight (16 ASCII characters, zero padded;
 * longer text is cut, characters outside ASCII become '?').
 */
final class RegisterCodec {

    static final int STRING_REGISTERS = 8;

    private RegisterCodec() {
    }

    /** Registers the type takes. */
    static int size(DataType type) {
        switch (type) {
            case INT16:
            case UINT16:
                return 1;
            case INT32:
            case FLOAT:
                return 2;
            case DOUBLE:
                return 4;
            case STRING:
                return STRING_REGISTERS;
            default:
                throw new IllegalArgumentException(type + " is not kept in registers");
        }
    }

    /** The register words of a value (as {@link ValueGenerator} makes them), first register first. */
    static int[] encode(DataType type, Object value) {
        ByteBuffer bytes = ByteBuffer.allocate(size(type) * 2);
        switch (type) {
            case INT16:
            case UINT16:
                bytes.putShort((short) ((Long) value).longValue());
                break;
            case INT32:
                bytes.putInt((int) ((Long) value).longValue());
                break;
            case FLOAT:
                bytes.putFloat((float) ((Double) value).doubleValue());
                break;
            case DOUBLE:
                bytes.putDouble((Double) value);
                break;
            default:
                byte[] text = value.toString().getBytes(StandardCharsets.US_ASCII);
                bytes.put(text, 0, Math.min(text.length, bytes.capacity()));
                break;
        }
        int[] words = new int[size(type)];
        for (int i = 0; i < words.length; i++) {
            words[i] = bytes.getShort(i * 2) & 0xFFFF;
        }
        return words;
    }

    /** The value register words hold, the inverse of {@link #encode}. */
    static Object decode(DataType type, int[] words) {
        ByteBuffer bytes = ByteBuffer.allocate(words.length * 2);
        for (int word : words) {
            bytes.putShort((short) word);
        }
        bytes.flip();
        switch (type) {
            case INT16:
                return (long) bytes.getShort();
            case UINT16:
                return (long) (bytes.getShort() & 0xFFFF);
            case INT32:
                return (long) bytes.getInt();
            case FLOAT:
                return (double) bytes.getFloat();
            case DOUBLE:
                return bytes.getDouble();
            default:
                int length = 0;
                while (length < bytes.limit() && bytes.get(length) != 0) {
                    length++;
                }
                return new String(bytes.array(), 0, length, StandardCharsets.US_ASCII);
        }
    }
}
