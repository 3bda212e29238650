package org.fogwerk.api;

import java.util.Locale;

/** Whether the node may write a tag back to the machine. */
public enum Access {
    READ("r"),
    READ_WRITE("rw");

    private final String shortName;

    Access(String shortName) {
        this.shortName = shortName;
    }

    /** The short form used in tag files: {@code r} or {@code rw}. */
    public String shortName() {
        return shortName;
    }

    /**
     * Parses {@code r}, {@code rw}, {@code read} or {@code read_write} in any case.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Access parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "r":
            case "read":
                return READ;
            case "rw":
            case "read_write":
            case "readwrite":
                return READ_WRITE;
            default:
                throw new IllegalArgumentException("'" + text + "' is not an access mode (use r or rw)");
        }
    }
}
