package org.fogwerk.camel.internal.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.fogwerk.camel.internal.edge.ThresholdAlarm.State;
import org.junit.jupiter.api.Test;

class ThresholdAlarmTest {

    private static List<State> run(ThresholdAlarm alarm, double... values) {
        List<State> states = new ArrayList<>();
        State s = State.NORMAL;
        for (double v : values) {
            s = alarm.next(s, v);
            states.add(s);
        }
        return states;
    }

    @Test
    void hysteresisKeepsTheAlarmUntilTheValueIsClearOfTheLimit() {
        ThresholdAlarm a = new ThresholdAlarm(80, 20, 5);
        assertEquals(List.of(State.NORMAL, State.HIGH, State.HIGH, State.HIGH, State.NORMAL, State.NORMAL, State.HIGH,
                State.LOW, State.LOW, State.NORMAL, State.LOW),
                run(a, 50, 81, 79, 75.5, 75, 80, 80.1, 10, 24.9, 25, 19.9));
    }

    @Test
    void withoutHysteresisTheLimitItselfIsNormal() {
        ThresholdAlarm a = new ThresholdAlarm(80, Double.NaN, 0);
        assertEquals(List.of(State.HIGH, State.NORMAL, State.HIGH, State.NORMAL, State.NORMAL),
                run(a, 81, 80, 80.5, 79.9, -1000));
    }

    @Test
    void lowLimitOnly() {
        ThresholdAlarm a = new ThresholdAlarm(Double.NaN, 0, 1);
        assertEquals(List.of(State.NORMAL, State.LOW, State.LOW, State.NORMAL, State.NORMAL),
                run(a, 1e9, -0.1, 0.5, 1, 0));
    }

    @Test
    void notANumberKeepsTheState() {
        ThresholdAlarm a = new ThresholdAlarm(10, Double.NaN, 0);
        assertEquals(List.of(State.HIGH, State.HIGH, State.NORMAL), run(a, 11, Double.NaN, 5));
    }

    @Test
    void limitCrossedByATransition() {
        ThresholdAlarm a = new ThresholdAlarm(80, 20, 5);
        assertEquals(80, a.limit(State.HIGH, State.NORMAL));
        assertEquals(80, a.limit(State.NORMAL, State.HIGH));
        assertEquals(20, a.limit(State.LOW, State.HIGH));
        assertEquals(20, a.limit(State.NORMAL, State.LOW));
    }

    @Test
    void badLimitsAreRefused() {
        assertEquals("a high or a low limit is required",
                assertThrows(IllegalArgumentException.class, () -> new ThresholdAlarm(Double.NaN, Double.NaN, 0))
                        .getMessage());
        assertEquals("the low limit must be below the high limit",
                assertThrows(IllegalArgumentException.class, () -> new ThresholdAlarm(10, 10, 0)).getMessage());
    }
}
