package org.fogwerk.connector.modbus.internal;

import java.util.Locale;

/** The four Modbus data areas, with the 5/6-digit notation prefix of each. */
enum Area {
    COIL("coil", 0, true, true),
    DISCRETE_INPUT("discrete-input", 1, true, false),
    INPUT("input", 3, false, false),
    HOLDING("holding", 4, false, true);

    private final String label;
    private final int prefix;
    private final boolean bits;
    private final boolean writable;

    Area(String label, int prefix, boolean bits, boolean writable) {
        this.label = label;
        this.prefix = prefix;
        this.bits = bits;
        this.writable = writable;
    }

    String label() {
        return label;
    }

    /** The leading digit in the classic notation (0xxxx coil, 1xxxx discrete, 3xxxx input, 4xxxx holding). */
    int prefix() {
        return prefix;
    }

    /** Coils and discrete inputs hold bits; the others hold 16-bit registers. */
    boolean bits() {
        return bits;
    }

    boolean writable() {
        return writable;
    }

    /** The function code that reads the area. */
    int readFunction() {
        switch (this) {
            case COIL:
                return 1;
            case DISCRETE_INPUT:
                return 2;
            case HOLDING:
                return 3;
            default:
                return 4;
        }
    }

    static Area forPrefix(int digit) {
        for (Area a : values()) {
            if (a.prefix == digit) {
                return a;
            }
        }
        return null;
    }

    /** Parses coil, discrete-input, input, holding (and a few usual spellings). */
    static Area parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (t) {
            case "coil":
            case "coils":
                return COIL;
            case "discrete-input":
            case "discrete":
            case "discrete-inputs":
            case "di":
                return DISCRETE_INPUT;
            case "input":
            case "input-register":
            case "input-registers":
            case "ir":
                return INPUT;
            case "holding":
            case "holding-register":
            case "holding-registers":
            case "hr":
                return HOLDING;
            default:
                throw new IllegalArgumentException("'" + text
                        + "' is not an area (use coil, discrete-input, input or holding)");
        }
    }
}
