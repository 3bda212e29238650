package org.fogwerk.simulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a simulated tag's value changes over the updates. */
enum Pattern {
    /** 100 * sin over a 60 s period. */
    SINE,
    /** Sawtooth 0..100 over 60 s. */
    RAMP,
    /** Bounded random walk in 0..100. */
    RANDOM,
    /** Plus one per update, wrapping in the type's range. */
    COUNTER,
    /** A machine cycling through {@link MachineState}. */
    STATE,
    /** Writable: keeps what a client writes. */
    SETPOINT;

    /** The patterns a configuration may name for read-only tags. */
    static final List<Pattern> GENERATED = List.of(SINE, RAMP, RANDOM, COUNTER, STATE);

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a comma separated list such as {@code sine,ramp}.
     *
     * @throws IllegalArgumentException saying which entry is wrong
     */
    static List<Pattern> parseList(String text) {
        List<Pattern> patterns = new ArrayList<>();
        for (String part : (text == null ? "" : text).split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            Pattern pattern = GENERATED.stream().filter(p -> p.label().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown pattern '" + part.trim()
                            + "' (use sine, ramp, random, counter, state)"));
            patterns.add(pattern);
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("at least one pattern is required (sine, ramp, random, counter, state)");
        }
        return List.copyOf(patterns);
    }
}
