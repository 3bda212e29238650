package org.fogwerk.support.connector;

/** Single-precision values as the node passes them on. */
public final class Floats {

    private Floats() {
    }

    /**
     * A machine's float32 as the double it stands for: 0.1f becomes 0.1, not 0.10000000149011612
     * (the float's exact binary value). Written as 0.1 to the machine, a set point then reads back
     * as 0.1, so desired and reported state match and the delta clears; users and uplinks see the
     * number the machine's own tools show. Infinity and NaN stay what they are.
     */
    public static double widen(float f) {
        if (!Float.isFinite(f) || f == (long) f) {
            return f;
        }
        return Double.parseDouble(Float.toString(f));
    }
}
