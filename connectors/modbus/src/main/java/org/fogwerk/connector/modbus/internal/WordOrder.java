package org.fogwerk.connector.modbus.internal;

import java.util.Locale;

/**
 * Byte and word order of a multi-byte value in registers. The letters name the bytes of the
 * big-endian value (A most significant) in the order they arrive on the wire.
 * <ul>
 * <li>ABCD: big-endian, first register holds the most significant word (Modbus default)</li>
 * <li>CDAB: word swap: registers in reverse order (least significant word first), bytes big-endian</li>
 * <li>BADC: byte swap: registers in order, the two bytes of each register swapped</li>
 * <li>DCBA: little-endian: both swapped</li>
 * </ul>
 * For 64-bit values the word swap reverses all four registers (GHEFCDAB for CDAB). A single
 * register is affected by the byte swap only; strings by the byte swap only.
 */
enum WordOrder {
    ABCD,
    CDAB,
    BADC,
    DCBA;

    /** The registers come least significant word first. */
    boolean wordSwap() {
        return this == CDAB || this == DCBA;
    }

    /** The two bytes of each register come least significant first. */
    boolean byteSwap() {
        return this == BADC || this == DCBA;
    }

    static WordOrder parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (WordOrder o : values()) {
            if (o.name().equals(t)) {
                return o;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a byte order (use ABCD, CDAB, BADC or DCBA)");
    }
}
