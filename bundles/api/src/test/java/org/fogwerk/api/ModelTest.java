package org.fogwerk.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void tagValuesTravelInAFewJavaTypes() {
        assertEquals(7L, TagValue.good("c", "t", 7).value());
        assertEquals(7L, TagValue.good("c", "t", (short) 7).value());
        assertEquals(1.5, TagValue.good("c", "t", 1.5f).value());
        assertArrayEquals(new long[] {1, 2}, (long[]) TagValue.good("c", "t", new int[] {1, 2}).value());
        assertArrayEquals(new double[] {0.5}, (double[]) TagValue.good("c", "t", new float[] {0.5f}).value());
        assertThrows(IllegalArgumentException.class, () -> TagValue.good("c", "t", new Object()));
    }

    @Test
    void aTagValueCannotBeChangedAfterItWasAccepted() {
        long[] raw = {1, 2, 3};
        TagValue v = TagValue.good("c", "t", raw);
        raw[0] = 99;
        ((long[]) v.value())[1] = 99;
        assertArrayEquals(new long[] {1, 2, 3}, (long[]) v.value());
    }

    @Test
    void onlyABadValueMayHaveNoValueAndItSaysWhy() {
        TagValue bad = TagValue.bad("c", "t", "Bad_NodeIdUnknown");
        assertNull(bad.value());
        assertEquals(Quality.BAD, bad.quality());
        assertEquals("Bad_NodeIdUnknown", bad.qualityReason());
        assertThrows(IllegalArgumentException.class,
                () -> TagValue.of("c", "t", null, Quality.GOOD, null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TagValue.good("", "t", 1));
    }

    @Test
    void valuesShowAsTextForPeople() {
        assertEquals("0x0aff", TagValue.good("c", "t", new byte[] {10, (byte) 255}).valueAsText());
        assertEquals("[a, b]", TagValue.good("c", "t", new String[] {"a", "b"}).valueAsText());
        assertEquals("", TagValue.bad("c", "t", "down").valueAsText());
    }

    @Test
    void coercionRefusesWhatWouldLoseInformation() {
        assertEquals(-32768L, DataType.INT16.coerce("-32768"));
        assertEquals(65535L, DataType.UINT16.coerce(65535.0));
        assertThrows(IllegalArgumentException.class, () -> DataType.INT16.coerce(32768));
        assertThrows(IllegalArgumentException.class, () -> DataType.UINT16.coerce(-1));
        assertThrows(IllegalArgumentException.class, () -> DataType.INT32.coerce(1.5));
        assertThrows(IllegalArgumentException.class, () -> DataType.INT32.coerce("fast"));
        assertEquals(2.5, DataType.FLOAT.coerce("2.5"));
        assertEquals(true, DataType.BOOLEAN.coerce("TRUE"));
        assertEquals(false, DataType.BOOLEAN.coerce(0));
        assertThrows(IllegalArgumentException.class, () -> DataType.BOOLEAN.coerce(2));
        assertEquals("12", DataType.STRING.coerce(12L));
        assertThrows(IllegalArgumentException.class, () -> DataType.STRING.coerce(new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> DataType.DOUBLE.coerce(null));
    }

    @Test
    void sixtyFourBitValuesAreNeverClampedOrWrappedOnTheWayIn() {
        // what JSON and Sparkplug give for numbers beyond a long: refused, never Long.MAX_VALUE
        for (Object tooBig : List.<Object>of(new java.math.BigInteger("9223372036854775808"), 1e19,
                "9223372036854775808", new java.math.BigDecimal("-9223372036854775809"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataType.INT64.coerce(tooBig));
            assertTrue(e.getMessage().contains("is outside the range of int64"), e.getMessage());
        }
        assertEquals(Long.MAX_VALUE, DataType.INT64.coerce("9223372036854775807"));
        // uint64: 0..2^64-1, carried as the signed long it wraps to
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> DataType.UINT64.coerce(-5));
        assertEquals("-5 is outside the range of uint64 (0..18446744073709551615)", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataType.UINT64.coerce("18446744073709551616"));
        java.math.BigInteger max = new java.math.BigInteger("18446744073709551615");
        assertEquals(max, DataType.UINT64.coerce("18446744073709551615"));
        assertEquals(max, DataType.UINT64.coerce(max));
        // checked again on the way to the machine (gateway, registry, connector): the same value
        assertEquals(max, DataType.UINT64.coerce(DataType.UINT64.coerce("18446744073709551615")));
        assertEquals(Long.MAX_VALUE, DataType.UINT64.coerce(DataType.UINT64.coerce("9223372036854775807")));
        assertEquals(5L, DataType.UINT64.coerce(5));
        assertEquals(7L, DataType.INT64.coerce(new java.math.BigDecimal("7.0")));
        assertThrows(IllegalArgumentException.class, () -> DataType.INT64.coerce(new java.math.BigDecimal("7.5")));
        assertThrows(IllegalArgumentException.class, () -> DataType.INT64.coerce(Double.NaN));
    }

    @Test
    void typeAndAccessNamesAreParsedAsIntegratorsWriteThem() {
        assertEquals(DataType.FLOAT, DataType.parse("float32"));
        assertEquals(DataType.DOUBLE, DataType.parse(" Float64 "));
        assertEquals(DataType.UINT16, DataType.parse("uint16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataType.parse("flaot"));
        assertTrue(e.getMessage().contains("'flaot' is not a data type"), e.getMessage());
        assertEquals(Access.READ_WRITE, Access.parse("RW"));
        assertEquals(Access.READ, Access.parse("r"));
        assertThrows(IllegalArgumentException.class, () -> Access.parse("w"));
    }

    @Test
    void aFactoryConfigurationIsNamedByItsPidOrItsFile() {
        assertEquals("line9", ConfigurationNames.instanceName(Map.of("service.pid",
                "org.fogwerk.connector.modbus~line9", ConfigurationNames.FILE_PROPERTY, "file:/x/etc/other-name.cfg"))
                .orElseThrow());
        assertEquals("press-01", ConfigurationNames.instanceName(Map.of(ConfigurationNames.FILE_PROPERTY,
                "file:/opt/fogwerk/etc/org.fogwerk.connector.opcua-press-01.cfg")).orElseThrow());
        assertEquals("cloud", ConfigurationNames.instanceName(Map.of("service.pid", "org.fogwerk.uplink.mqtt.a1b2",
                ConfigurationNames.FILE_PROPERTY, "etc\\org.fogwerk.uplink.mqtt-cloud.cfg")).orElseThrow());
        assertTrue(ConfigurationNames.instanceName(Map.of("service.pid", "org.fogwerk.thing.a1b2")).isEmpty());
        assertTrue(ConfigurationNames.instanceName(Map.of(ConfigurationNames.FILE_PROPERTY, "etc/nodash.cfg")).isEmpty());
    }

    @Test
    void aWriteIsCheckedAgainstTheTagDefinition() {
        TagDefinition speed = new TagDefinition("speed", "40001", DataType.INT16, Access.READ_WRITE, "rpm", "", 0.0,
                3000.0, Map.of());
        assertEquals(1200L, speed.checkWrite("1200"));
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> speed.checkWrite(3001));
        assertEquals("tag speed: 3001 is above the maximum 3000.0", high.getMessage());
        assertThrows(IllegalArgumentException.class, () -> speed.checkWrite(-1));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> speed.checkWrite(1.5));
        assertTrue(type.getMessage().startsWith("tag speed: "), type.getMessage());
        IllegalArgumentException readOnly = assertThrows(IllegalArgumentException.class,
                () -> TagDefinition.readOnly("temp", "30001", DataType.FLOAT).checkWrite(1));
        assertEquals("tag temp is read-only", readOnly.getMessage());
        // a type the connection has not learnt from the machine yet: nothing is checked against a stand-in
        TagDefinition unknown = new TagDefinition("sp", "ns=2;s=sp", DataType.STRING, Access.READ_WRITE, "", "", null,
                null, Map.of(TagDefinition.TYPE_UNKNOWN, "true"));
        assertFalse(unknown.typeKnown());
        assertEquals("UNKNOWN", unknown.typeName());
        IllegalArgumentException notYet = assertThrows(IllegalArgumentException.class, () -> unknown.checkWrite("7"));
        assertTrue(notYet.getMessage().startsWith("tag sp: its data type is not known until the connection"),
                notYet.getMessage());
        assertEquals("INT16", speed.typeName());
        assertThrows(IllegalArgumentException.class, () -> new TagDefinition("x", "1", DataType.INT16,
                Access.READ_WRITE, "", "", 10.0, 1.0, Map.of()));
    }

    @Test
    void nanAndInfinityAreRefusedUnlessTheTagAllowsThem() {
        TagDefinition setpoint = new TagDefinition("setpoint", "ns=2;s=sp", DataType.DOUBLE, Access.READ_WRITE, "", "",
                0.0, 100.0, Map.of());
        for (Object bad : new Object[] {Double.NaN, "NaN", Double.POSITIVE_INFINITY, "-Infinity", Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> setpoint.checkWrite(bad),
                    String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("tag setpoint: ") && e.getMessage().contains("not a finite number"),
                    e.getMessage());
        }
        TagDefinition unbounded = new TagDefinition("ratio", "ns=2;s=r", DataType.FLOAT, Access.READ_WRITE, "", "",
                null, null, Map.of());
        assertThrows(IllegalArgumentException.class, () -> unbounded.checkWrite(Double.POSITIVE_INFINITY));
        assertEquals(0.5, unbounded.checkWrite("0.5"));
        // beyond a float32's range it would reach the machine as Infinity
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> unbounded.checkWrite(1e40));
        assertTrue(huge.getMessage().contains("outside the range of a float32"), huge.getMessage());
        assertEquals(3.0e38, unbounded.checkWrite(3.0e38));
        TagDefinition allowed = new TagDefinition("raw", "ns=2;s=raw", DataType.DOUBLE, Access.READ_WRITE, "", "",
                null, null, Map.of(TagDefinition.ALLOW_NON_FINITE, "true"));
        assertTrue(((Double) allowed.checkWrite("NaN")).isNaN());
        assertEquals(Double.NEGATIVE_INFINITY, allowed.checkWrite(Double.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new TagDefinition("x", "1", DataType.DOUBLE,
                Access.READ_WRITE, "", "", Double.NaN, null, Map.of()));
    }
}
