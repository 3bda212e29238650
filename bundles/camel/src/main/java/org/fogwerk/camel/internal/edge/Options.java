package org.fogwerk.camel.internal.edge;

import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads edge options out of a Camel endpoint's parameter map, removing each key it reads, and
 * turns a bad value into an {@link IllegalArgumentException} that names the key and says why.
 */
final class Options {

    private final String where;
    private final Map<String, Object> parameters;

    /** {@code where} prefixes every message (for example {@code fogwerk:edge/window}); may be empty. */
    Options(String where, Map<String, Object> parameters) {
        this.where = where == null || where.isEmpty() ? "" : where + ": ";
        this.parameters = parameters;
    }

    /** The text of an option, removed from the map, or {@code null} when absent. */
    String text(String key) {
        Object v = parameters.remove(key);
        if (v == null) {
            return null;
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            throw bad(key, v, "a value is required");
        }
        return s;
    }

    /** A finite number at least {@code min}, or {@code absent} (may be NaN) when the key is not set. */
    double number(String key, double absent, double min) {
        Object raw = parameters.get(key);
        return read(key, absent, s -> {
            double d;
            if (raw instanceof Number) {
                d = ((Number) raw).doubleValue();
            } else {
                try {
                    d = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number");
                }
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a finite number");
            }
            if (d < min) {
                throw new IllegalArgumentException("must be at least " + plain(min));
            }
            return d;
        });
    }

    /** A finite number of any sign, or NaN when absent. */
    double anyNumber(String key) {
        return number(key, Double.NaN, Double.NEGATIVE_INFINITY);
    }

    /** A whole number between {@code min} and {@code max}, or {@code absent}. */
    long whole(String key, long absent, long min, long max) {
        return read(key, absent, s -> {
            long n;
            try {
                n = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return n;
        });
    }

    /** A duration in milliseconds, more than 0, or {@code absent}. */
    long duration(String key, long absent) {
        return read(key, absent, s -> {
            long ms = Durations.parseMillis(s);
            if (ms <= 0) {
                throw new IllegalArgumentException("must be more than 0");
            }
            return ms;
        });
    }

    /** {@code true} or {@code false} (any case), or {@code absent}. */
    boolean bool(String key, boolean absent) {
        return read(key, absent, s -> {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw new IllegalArgumentException("use true or false");
            }
        });
    }

    /** One of {@code choices} (any case, returned in lower case), or {@code absent}. */
    String choice(String key, String absent, String... choices) {
        return read(key, absent, s -> {
            String lower = s.toLowerCase(Locale.ROOT);
            for (String c : choices) {
                if (c.equals(lower)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("use one of " + String.join(", ", choices));
        });
    }

    /**
     * The option's text turned into a value by {@code parse}, or {@code absent} when the key is
     * not set; {@code parse} refuses a value with an {@link IllegalArgumentException} that says why.
     */
    private <T> T read(String key, T absent, Function<String, T> parse) {
        Object raw = parameters.get(key);
        String s = text(key);
        if (s == null) {
            return absent;
        }
        try {
            return parse.apply(s);
        } catch (IllegalArgumentException e) {
            throw bad(key, raw, e.getMessage());
        }
    }

    /** Fails when the map still holds a key nobody read, listing the keys that are understood. */
    void rejectUnknown(String... known) {
        if (!parameters.isEmpty()) {
            String key = new TreeSet<>(parameters.keySet()).first();
            throw new IllegalArgumentException(where + "unknown option '" + key + "' (options: "
                    + String.join(", ", known) + ")");
        }
    }

    IllegalArgumentException bad(String key, Object value, String why) {
        return new IllegalArgumentException(where + key + "=" + value + ": " + why);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
