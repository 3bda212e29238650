package org.fogwerk.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.fogwerk.api.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValueGeneratorTest {

    private static final long INTERVAL = 1000;
    /** More than a 60 s period and three state cycles. */
    private static final int UPDATES = 150;

    @ParameterizedTest
    @EnumSource(value = Pattern.class, names = {"SINE", "RAMP", "RANDOM", "COUNTER", "STATE"})
    void valuesHaveTheTypeStayInRangeAndChange(Pattern pattern) {
        for (DataType type : TagCatalog.TYPES) {
            List<Object> values = run(pattern, type, UPDATES);
            Set<Object> distinct = new HashSet<>(values);
            String what = pattern + " " + type;
            for (Object value : values) {
                assertInstanceOf(type.javaType(), value, what);
                if (type.isNumeric()) {
                    double[] range = ValueGenerator.range(pattern, type);
                    double x = ((Number) value).doubleValue();
                    assertTrue(x >= range[0] && x <= range[1], what + ": " + x + " outside " + range[0] + ".." + range[1]);
                }
                if (type.isInteger()) {
                    type.coerce(value); // throws if outside the type's range
                }
                if (type == DataType.FLOAT) {
                    double x = (Double) value;
                    assertEquals(x, (double) (float) x, what + " must be exact as a float");
                }
            }
            if (type == DataType.BOOLEAN) {
                assertEquals(Set.of(true, false), distinct, what);
            } else {
                // the state machine dwells a few updates; sine and ramp repeat every 60 updates here
                int minimum = pattern == Pattern.STATE ? MachineState.values().length : 25;
                assertTrue(distinct.size() >= minimum, what + " took only " + distinct.size() + " values");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"INT16", "INT32", "UINT16", "FLOAT", "DOUBLE", "STRING"})
    void numbersChangeEveryUpdateForCounterAndRandom(DataType type) {
        for (Pattern pattern : List.of(Pattern.COUNTER, Pattern.RANDOM, Pattern.SINE, Pattern.RAMP)) {
            List<Object> values = run(pattern, type, 20);
            for (int i = 1; i < values.size(); i++) {
                assertNotEquals(values.get(i - 1), values.get(i), pattern + " " + type + " at update " + i);
            }
        }
    }

    @Test
    void sineAndRampFollowTimeNotUpdateCount() {
        ValueGenerator sine = generator(Pattern.SINE, DataType.DOUBLE, 250);
        assertEquals(0.0, (Double) sine.next(0), 1e-9);
        assertEquals(100.0, (Double) sine.next(60), 1e-9); // 60 x 250 ms = 15 s = a quarter period
        assertEquals(0.0, (Double) sine.next(240), 1e-9); // a full period

        ValueGenerator ramp = generator(Pattern.RAMP, DataType.DOUBLE, 1000);
        assertEquals(50.0, (Double) ramp.next(30), 1e-9);
        assertEquals(0.0, (Double) ramp.next(60), 1e-9);
        assertEquals("50.00", generator(Pattern.RAMP, DataType.STRING, 1000).next(30));
        assertEquals(200L, generator(Pattern.SINE, DataType.UINT16, 1000).next(15));
        assertEquals(-100L, generator(Pattern.SINE, DataType.INT16, 1000).next(45));
    }

    @Test
    void countersWrapLikeTheirType() {
        assertEquals(32767L, generator(Pattern.COUNTER, DataType.INT16, 1).next(32767));
        assertEquals(-32768L, generator(Pattern.COUNTER, DataType.INT16, 1).next(32768));
        assertEquals(0L, generator(Pattern.COUNTER, DataType.UINT16, 1).next(65536));
        assertEquals((long) Integer.MIN_VALUE, generator(Pattern.COUNTER, DataType.INT32, 1).next(1L << 31));
        assertEquals(0.0, generator(Pattern.COUNTER, DataType.FLOAT, 1).next(1L << 24));
        assertEquals("12", generator(Pattern.COUNTER, DataType.STRING, 1).next(12));
        assertEquals(true, generator(Pattern.COUNTER, DataType.BOOLEAN, 1).next(3));
    }

    @Test
    void stateMachineFollowsItsSchedule() {
        List<Object> names = run(Pattern.STATE, DataType.STRING, MachineState.CYCLE);
        assertEquals(List.of("IDLE", "IDLE", "IDLE", "STARTING", "STARTING", "RUNNING", "RUNNING", "RUNNING",
                "RUNNING", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "STOPPING", "STOPPING", "IDLE", "IDLE", "IDLE",
                "STARTING", "STARTING", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "FAULT", "FAULT",
                "FAULT"), names);
        assertEquals("IDLE", generator(Pattern.STATE, DataType.STRING, 1).next(MachineState.CYCLE));
        assertEquals(2L, generator(Pattern.STATE, DataType.INT32, 1).next(5));
        assertEquals(true, generator(Pattern.STATE, DataType.BOOLEAN, 1).next(5));
        assertEquals(4.0, generator(Pattern.STATE, DataType.FLOAT, 1).next(25));
    }

    @Test
    void setPointsStartEmpty() {
        assertEquals(false, generator(Pattern.SETPOINT, DataType.BOOLEAN, 1).next(0));
        assertEquals(0L, generator(Pattern.SETPOINT, DataType.UINT16, 1).next(0));
        assertEquals(0.0, generator(Pattern.SETPOINT, DataType.FLOAT, 1).next(0));
        assertEquals("", generator(Pattern.SETPOINT, DataType.STRING, 1).next(0));
    }

    @Test
    void theSameConfigurationReplaysTheSameRandomWalk() {
        assertEquals(run(Pattern.RANDOM, DataType.DOUBLE, 50), run(Pattern.RANDOM, DataType.DOUBLE, 50));
    }

    private static List<Object> run(Pattern pattern, DataType type, int updates) {
        ValueGenerator generator = generator(pattern, type, INTERVAL);
        List<Object> values = new ArrayList<>();
        for (int update = 0; update < updates; update++) {
            values.add(generator.next(update));
        }
        return values;
    }

    private static ValueGenerator generator(Pattern pattern, DataType type, long interval) {
        return new ValueGenerator(new CatalogTag(TagCatalog.TYPES.indexOf(type), "t", type, pattern,
                pattern == Pattern.SETPOINT), interval);
    }
}
