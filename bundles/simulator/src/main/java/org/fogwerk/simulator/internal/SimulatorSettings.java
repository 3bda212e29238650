package org.fogwerk.simulator.internal;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.fogwerk.support.config.InvalidConfigurationException;

/**
 * The keys both simulators share, checked. Reading goes through {@link Reader}, which turns
 * every bad value into an {@link InvalidConfigurationException} naming the PID, the key and the value.
 *
 * @param bindAddress    as configured; resolved by {@link BindAddress} just before binding
 * @param port           TCP port
 * @param tagCount       1..10000
 * @param updateInterval milliseconds, 10..3600000
 * @param patterns       the patterns of the read-only tags, in order
 * @param writableCount  0..tagCount
 */
record SimulatorSettings(String bindAddress, int port, int tagCount, long updateInterval, List<Pattern> patterns,
        int writableCount) {

    static final int MAX_TAGS = 10_000;
    static final long MIN_INTERVAL = 10;
    static final long MAX_INTERVAL = 3_600_000;

    /**
     * Reads the shared keys in the order an operator reads the file, stopping at the first bad
     * one.
     */
    static SimulatorSettings read(Reader reader, Supplier<String> bindAddress, IntSupplier port, IntSupplier tagCount,
            LongSupplier updateInterval, Supplier<String> patterns, IntSupplier writableCount)
            throws InvalidConfigurationException {
        String bind = BindAddress.checkSyntax(reader.pid(), "bind.address", reader.text("bind.address", bindAddress));
        int p = reader.intBetween("port", port, 1, 65_535);
        int tags = reader.intBetween("tag.count", tagCount, 1, MAX_TAGS);
        long interval = reader.longBetween("update.interval", updateInterval, MIN_INTERVAL, MAX_INTERVAL);
        List<Pattern> parsed = reader.patterns("patterns", patterns);
        int writable = reader.intBetween("writable.count", writableCount, 0, tags, "tag.count (" + tags + ")");
        return new SimulatorSettings(bind, p, tags, interval, parsed, writable);
    }

    /** Reads keys of a typed configuration, one at a time, for one PID. */
    static final class Reader {

        private final String pid;

        Reader(String pid) {
            this.pid = pid;
        }

        String pid() {
            return pid;
        }

        String text(String key, Supplier<String> value) throws InvalidConfigurationException {
            String text;
            try {
                text = value.get();
            } catch (RuntimeException e) {
                throw unreadable(key, e);
            }
            return text == null ? "" : text.trim();
        }

        int intBetween(String key, IntSupplier value, int min, int max) throws InvalidConfigurationException {
            return intBetween(key, value, min, max, Integer.toString(max));
        }

        /** @param maxName how the message names the upper bound, for a bound that is another key */
        int intBetween(String key, IntSupplier value, int min, int max, String maxName)
                throws InvalidConfigurationException {
            return (int) between(key, value::getAsInt, min, max, maxName);
        }

        long longBetween(String key, LongSupplier value, long min, long max) throws InvalidConfigurationException {
            return between(key, value, min, max, Long.toString(max));
        }

        private long between(String key, LongSupplier value, long min, long max, String maxName)
                throws InvalidConfigurationException {
            long n;
            try {
                n = value.getAsLong();
            } catch (RuntimeException e) {
                throw unreadable(key, e);
            }
            if (n < min || n > max) {
                throw InvalidConfigurationException.invalidValue(pid, key, n,
                        "must be between " + min + " and " + maxName);
            }
            return n;
        }

        List<Pattern> patterns(String key, Supplier<String> value) throws InvalidConfigurationException {
            String text = text(key, value);
            try {
                return Pattern.parseList(text);
            } catch (IllegalArgumentException e) {
                throw InvalidConfigurationException.invalidValue(pid, key, text, e.getMessage());
            }
        }

        /** A value the configuration could not convert (for example {@code port = abc}). */
        private InvalidConfigurationException unreadable(String key, RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return InvalidConfigurationException.invalidKey(pid, key,
                    "cannot be read as the expected type (" + why + ")");
        }
    }
}
