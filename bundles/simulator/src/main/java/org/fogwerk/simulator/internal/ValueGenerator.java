package org.fogwerk.simulator.internal;

import java.util.Locale;
import java.util.SplittableRandom;

import org.fogwerk.api.DataType;

/**
 * Produces the values of one tag, update after update. Values travel in the Java types of
 * {@link DataType}: Boolean, Long for the integer types, Double for FLOAT (rounded to float
 * precision) and DOUBLE, String.
 *
 * <p>Every pattern is computed as a number and then mapped to the tag's type:
 * <ul>
 * <li>sine: {@code 100 * sin(2 pi t / 60 s)}; integers are rounded, UInt16 is shifted to
 *     0..200, Boolean is {@code > 0}, String is the number with two decimals.</li>
 * <li>ramp: {@code 0..100} over 60 s; Boolean is the second half of the ramp.</li>
 * <li>random: a walk in {@code 0..100} that moves 1 to 5 each update (so integers change
 *     every update too), starting at 50; Boolean is a fresh coin toss each update.</li>
 * <li>counter: the update number, wrapping like the type does (Int16 after 32767 comes
 *     -32768, UInt16 after 65535 comes 0, Float after 2^24 - 1 comes 0); Boolean is odd
 *     updates, String the number.</li>
 * <li>state: {@link MachineState}; numbers are its ordinal, String its name, Boolean
 *     whether it is RUNNING.</li>
 * <li>setpoint: 0, false or "" until a client writes.</li>
 * </ul>
 * Time is the update number times the update interval, so the patterns do not drift with a
 * late update. Not thread-safe: each simulator calls its generators from its own thread.
 */
final class ValueGenerator {

    static final long PERIOD_MILLIS = 60_000;
    static final double AMPLITUDE = 100;
    private static final long FLOAT_COUNTER_WRAP = 1L << 24;
    private static final long DOUBLE_COUNTER_WRAP = 1L << 53;

    private final DataType type;
    private final Pattern pattern;
    private final long intervalMillis;
    private final SplittableRandom random;
    private double walk = AMPLITUDE / 2;

    ValueGenerator(CatalogTag tag, long intervalMillis) {
        this.type = tag.type();
        this.pattern = tag.pattern();
        this.intervalMillis = intervalMillis;
        // seeded by position: the same configuration replays the same walk
        this.random = new SplittableRandom(0x5EED_0000L + tag.index());
    }

    /**
     * The value at an update: 0 is the initial value, then call it with 1, 2, 3... in order
     * (the random walk remembers where it is).
     */
    Object next(long update) {
        switch (pattern) {
            case SINE:
                return fromNumber(AMPLITUDE * Math.sin(2 * Math.PI * phase(update)), true);
            case RAMP:
                return fromNumber(AMPLITUDE * phase(update), false);
            case RANDOM:
                return randomWalk(update);
            case COUNTER:
                return counter(update);
            case STATE:
                return state(MachineState.at(update));
            default:
                return initialValue(type);
        }
    }

    /** What a set point holds before anyone writes it. */
    static Object initialValue(DataType type) {
        switch (type) {
            case BOOLEAN:
                return Boolean.FALSE;
            case FLOAT:
            case DOUBLE:
                return 0.0d;
            case STRING:
                return "";
            default:
                return 0L;
        }
    }

    /**
     * The lowest and highest value a numeric tag takes with this pattern (for a set point: what
     * the type can hold). Published as the OPC UA EURange.
     */
    static double[] range(Pattern pattern, DataType type) {
        switch (pattern) {
            case SINE:
                return type == DataType.UINT16 ? new double[] {0, 2 * AMPLITUDE} : new double[] {-AMPLITUDE, AMPLITUDE};
            case RAMP:
            case RANDOM:
                return new double[] {0, AMPLITUDE};
            case STATE:
                return new double[] {0, MachineState.values().length - 1};
            case COUNTER:
                if (type == DataType.FLOAT) {
                    return new double[] {0, FLOAT_COUNTER_WRAP - 1};
                }
                if (type == DataType.DOUBLE) {
                    return new double[] {0, DOUBLE_COUNTER_WRAP - 1};
                }
                return typeRange(type);
            default:
                return typeRange(type);
        }
    }

    private static double[] typeRange(DataType type) {
        switch (type) {
            case INT16:
                return new double[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case UINT16:
                return new double[] {0, 0xFFFF};
            case INT32:
                return new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case FLOAT:
                return new double[] {-Float.MAX_VALUE, Float.MAX_VALUE};
            default:
                return new double[] {-Double.MAX_VALUE, Double.MAX_VALUE};
        }
    }

    private double phase(long update) {
        return Math.floorMod(update * intervalMillis, PERIOD_MILLIS) / (double) PERIOD_MILLIS;
    }

    private Object randomWalk(long update) {
        if (type == DataType.BOOLEAN) {
            return update == 0 ? Boolean.FALSE : random.nextBoolean();
        }
        if (update > 0) {
            double step = 1 + random.nextDouble() * 4;
            if (random.nextBoolean()) {
                step = -step;
            }
            if (walk + step < 0 || walk + step > AMPLITUDE) {
                step = -step;
            }
            walk += step;
        }
        return fromNumber(walk, false);
    }

    private Object counter(long update) {
        switch (type) {
            case BOOLEAN:
                return (update & 1) == 1;
            case INT16:
                return (long) (short) update;
            case INT32:
                return (long) (int) update;
            case UINT16:
                return update & 0xFFFF;
            case FLOAT:
                return (double) Math.floorMod(update, FLOAT_COUNTER_WRAP);
            case DOUBLE:
                return (double) Math.floorMod(update, DOUBLE_COUNTER_WRAP);
            default:
                return Long.toString(update);
        }
    }

    private Object state(MachineState state) {
        switch (type) {
            case BOOLEAN:
                return state == MachineState.RUNNING;
            case FLOAT:
            case DOUBLE:
                return (double) state.ordinal();
            case STRING:
                return state.name();
            default:
                return (long) state.ordinal();
        }
    }

    /**
     * Maps a pattern's number to the type.
     *
     * @param signed whether the number swings around 0 (Boolean is then its sign, UInt16 is
     *               shifted up by the amplitude) or lies in 0..100 (Boolean is the upper half)
     */
    private Object fromNumber(double x, boolean signed) {
        switch (type) {
            case BOOLEAN:
                return signed ? x > 0 : x >= AMPLITUDE / 2;
            case UINT16:
                return Math.round(signed ? x + AMPLITUDE : x);
            case INT16:
            case INT32:
                return Math.round(x);
            case FLOAT:
                return (double) (float) x;
            case DOUBLE:
                return x;
            default:
                return String.format(Locale.ROOT, "%.2f", x);
        }
    }
}
