package org.fogwerk.camel.internal.edge;

/**
 * High and low limits with hysteresis. A HIGH alarm is raised when a value exceeds the high limit
 * and cleared when a value falls to the high limit minus the hysteresis or below; a LOW alarm is
 * raised below the low limit and cleared at the low limit plus the hysteresis or above. Values
 * between keep the state, so a value dithering around a limit raises once.
 */
final class ThresholdAlarm {

    enum State {
        NORMAL, HIGH, LOW
    }

    private final double high;
    private final double low;
    private final double hysteresis;

    /** A limit of NaN is not checked. */
    ThresholdAlarm(double high, double low, double hysteresis) {
        if (Double.isNaN(high) && Double.isNaN(low)) {
            throw new IllegalArgumentException("a high or a low limit is required");
        }
        if (!Double.isNaN(high) && !Double.isNaN(low) && low >= high) {
            throw new IllegalArgumentException("the low limit must be below the high limit");
        }
        if (hysteresis < 0) {
            throw new IllegalArgumentException("the hysteresis must not be negative");
        }
        this.high = high;
        this.low = low;
        this.hysteresis = hysteresis;
    }

    /** The state after {@code value}, given the state before it. A NaN value keeps the state. */
    State next(State current, double value) {
        if (Double.isNaN(value)) {
            return current;
        }
        switch (current) {
            case HIGH:
                if (value > high - hysteresis) {
                    return State.HIGH;
                }
                break;
            case LOW:
                if (value < low + hysteresis) {
                    return State.LOW;
                }
                break;
            default:
                break;
        }
        if (value > high) {
            return State.HIGH;
        }
        if (value < low) {
            return State.LOW;
        }
        return State.NORMAL;
    }

    /** The limit a transition into {@code state} crossed (for NORMAL: the limit of the alarm cleared). */
    double limit(State state, State previous) {
        State which = state == State.NORMAL ? previous : state;
        return which == State.HIGH ? high : low;
    }
}
