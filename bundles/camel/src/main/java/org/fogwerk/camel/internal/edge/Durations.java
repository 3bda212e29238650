package org.fogwerk.camel.internal.edge;

/** Durations as users write them in endpoint URIs: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, or plain milliseconds. */
final class Durations {

    private Durations() {
    }

    /** @throws IllegalArgumentException saying what is accepted */
    static long parseMillis(String text) {
        String s = text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 15) {
            throw new IllegalArgumentException("not a duration (use e.g. 500ms, 2s, 5m, 1h)");
        }
        long n = Long.parseLong(s.substring(0, i));
        switch (s.substring(i).trim()) {
            case "":
            case "ms":
                return n;
            case "s":
                return n * 1000L;
            case "m":
            case "min":
                return n * 60_000L;
            case "h":
                return n * 3_600_000L;
            default:
                throw new IllegalArgumentException("not a duration (use e.g. 500ms, 2s, 5m, 1h)");
        }
    }
}
