package org.fogwerk.connector.modbus.internal;

import java.util.Locale;

/** The four Modbus data areas, with the 5/6-digit notation prefix of each. */
enum Area {
    COIL(0),
    DISCRETE_INPUT(1),
    INPUT(3),
    HOLDING(4);

    /** The leading digit in the classic notation (0xxxx coil, 1xxxx discrete, 3xxxx input, 4xxxx holding). */
    private final int prefix;
    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    Area(int prefix) {
        this.prefix = prefix;
    }

    /** How users write the area: coil, discrete-input, input or holding. */
    String label() {
        return label;
    }

    /** Coils and discrete inputs hold bits; the others hold 16-bit registers. */
    boolean bits() {
        return this == COIL || this == DISCRETE_INPUT;
    }

    /** Only coils and holding registers can be written. */
    boolean writable() {
        return this == COIL || this == HOLDING;
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
