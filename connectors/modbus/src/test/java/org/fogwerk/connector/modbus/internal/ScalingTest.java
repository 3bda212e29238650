package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;

import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** value = raw × scale + offset, both ways, as the decimals the user wrote say. */
class ScalingTest {

    private static TagSpec tag(String type, String scale, String offset) {
        return new TagSpec("t", 1, Area.HOLDING, 0, ModbusType.parse(type), WordOrder.ABCD,
                Double.parseDouble(scale), Double.parseDouble(offset), 0, Access.READ_WRITE, null, null, "default", "");
    }

    /** The double nearest to the exact decimal result, worked out on the text. */
    private static double exact(String raw, String scale, String offset) {
        return Double.parseDouble(new BigDecimal(raw).multiply(new BigDecimal(scale)).add(new BigDecimal(offset))
                .toString());
    }

    @Test
    void aUint64AboveLongMaxIsWrittenAsTheRegistersOfItsValue() {
        TagSpec t = tag("uint64", "1", "0");
        // as the gateway, the registry and the connection check it in turn
        Object checked = t.definition().checkWrite(t.definition().checkWrite("18446744073709551615"));
        Object raw = t.toRaw(DataType.UINT64.coerce(checked));
        assertArrayEquals(new int[] {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF},
                RegisterCodec.encode(t.type(), t.order(), raw));
        assertThrows(IllegalArgumentException.class, () -> t.definition().checkWrite(-5L));
    }

    @Test
    void raw23AtScale0point1AndOffset5Is7point3BothWays() {
        TagSpec t = tag("int16", "0.1", "5");
        assertEquals(7.3, t.toEngineering(23L)); // not 7.300000000000001: a shadow's desired 7.3 matches
        assertEquals(23L, t.toRaw(7.3));
        assertEquals(-3994.7, tag("int32", "0.1", "5").toEngineering(-39997L));
        assertEquals(23.15, tag("uint16", "0.01", "0").toEngineering(2315L));
        assertEquals(233.15, tag("uint16", "0.001", "273.15").toEngineering(-40000L));
        assertEquals(-254.35, tag("int16", "2.5", "273.15").toEngineering(-211L));
    }

    @ParameterizedTest
    @CsvSource({"0.1, 0", "0.1, 5", "0.1, -40", "0.1, 0.5", "0.01, 0", "0.01, 273.15", "0.001, 0", "0.001, -0.3",
        "0.001, 273.15", "2.5, 0", "2.5, 273.15", "0.05, -10.25"})
    void everyRawValueReadsAsTheNearestDoubleAndWritesBackAsItself(String scale, String offset) {
        TagSpec t = tag("int32", scale, offset);
        for (long raw = -40_000; raw <= 70_000; raw++) {
            double value = (Double) t.toEngineering(raw);
            assertEquals(exact(Long.toString(raw), scale, offset), value, () -> "value of " + t);
            assertEquals(raw, t.toRaw(value), () -> "raw of " + value + " for " + t);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0.1,   0,      0.15,    2", // 1.4999999999999998 in binary arithmetic
        "0.1,   0,      -0.15,   -2",
        "0.1,   0,      0.35,    4",
        "0.1,   0,      0.14,    1",
        "0.1,   5,      7.3,     23",
        "0.1,   5,      5.15,    2",
        "0.01,  0,      1.005,   101", // 100.49999999999999 in binary arithmetic
        "0.01,  -40,    -38.995, 101",
        "0.001, 0,      1.0005,  1001",
        "0.001, 273.15, 273.1515, 2", // 1.4999999999763531 in binary arithmetic
        "2.5,   5,      11.25,   3",
        "2.5,   5,      -1.25,   -3"})
    void aValueBetweenTwoStepsWritesTheNearerOneAndHalfWayAwayFromZero(String scale, String offset, double value,
            long raw) {
        assertEquals(raw, tag("int32", scale, offset).toRaw(value));
    }

    @Test
    void largeFractionalAndNonFiniteRawValues() {
        TagSpec milli = tag("int64", "0.001", "0");
        assertEquals(exact("123456789012345", "0.001", "0"), milli.toEngineering(123456789012345L));
        assertEquals(123456789012345L, milli.toRaw(123456789012.345));
        // beyond 2^53 units: worked out in decimal all the same
        TagSpec tenth = tag("int64", "0.1", "0.05");
        assertEquals(exact("9007199254740993", "0.1", "0.05"), tenth.toEngineering(9007199254740993L));
        assertEquals(exact("-9223372036854775808", "0.1", "0.05"), tenth.toEngineering(Long.MIN_VALUE));
        // more decimal places than a double's powers of ten hold exactly, a huge offset
        assertEquals(exact("123", "1E-25", "0"), tag("int32", "1E-25", "0").toEngineering(123L));
        assertEquals(exact("1", "0.1", "1E17"), tag("int32", "0.1", "1E17").toEngineering(1L));
        // a float register: its value as written, scaled
        TagSpec f = tag("float32", "0.1", "5");
        assertEquals(6.23, f.toEngineering(12.3)); // 12.3 * 0.1 + 5 is 6.23 on paper
        assertEquals(12.3, f.toRaw(6.23));
        assertEquals(25.0, f.toEngineering(200.0));
        assertEquals(Double.POSITIVE_INFINITY, f.toEngineering(Double.POSITIVE_INFINITY));
        assertEquals(Double.NaN, f.toEngineering(Double.NaN));
        assertEquals(1.23, tag("float64", "0.1", "0").toEngineering(12.3)); // not 1.2300000000000002
    }
}
