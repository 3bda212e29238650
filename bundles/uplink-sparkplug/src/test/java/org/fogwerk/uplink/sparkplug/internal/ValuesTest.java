package org.fogwerk.uplink.sparkplug.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;

/** Values as Tahu's decoder reads them back, for every datatype the node produces. */
class ValuesTest {

    private static Object roundTrip(int datatype, Object value) throws Exception {
        Metric.Builder m = Metric.newBuilder().setName("m").setDatatype(datatype);
        assertTrue(SparkplugValues.setValue(m, datatype, value), "representable");
        byte[] bytes = Payload.newBuilder().setSeq(0).addMetrics(m).build().toByteArray();
        SparkplugBPayload p = new SparkplugBPayloadDecoder().buildFromByteArray(bytes, null);
        return p.getMetrics().get(0).getValue();
    }

    @Test
    void scalarsDecodeAsTheirDatatype() throws Exception {
        assertEquals((short) -5, ((Number) roundTrip(DataType.Int16_VALUE, -5L)).shortValue());
        assertEquals(65535, ((Number) roundTrip(DataType.UInt16_VALUE, 65535L)).intValue());
        assertEquals(-70000, roundTrip(DataType.Int32_VALUE, -70000L));
        assertEquals(4_000_000_000L, roundTrip(DataType.UInt32_VALUE, 4_000_000_000L));
        assertEquals(Long.MIN_VALUE, roundTrip(DataType.Int64_VALUE, Long.MIN_VALUE));
        assertEquals(1.5f, roundTrip(DataType.Float_VALUE, 1.5));
        assertEquals(2.25, roundTrip(DataType.Double_VALUE, 2.25));
        assertEquals(true, roundTrip(DataType.Boolean_VALUE, true));
        assertEquals("text", roundTrip(DataType.String_VALUE, "text"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) roundTrip(DataType.Bytes_VALUE, new byte[] {1, 2, 3}));
    }

    @Test
    void arraysArePackedLittleEndianAsSparkplugSays() throws Exception {
        assertArrayEquals(new Short[] {-1, 2, 300}, (Short[]) roundTrip(DataType.Int16Array_VALUE, new long[] {-1, 2, 300}));
        assertArrayEquals(new Integer[] {-70000, 5}, (Integer[]) roundTrip(DataType.Int32Array_VALUE, new long[] {-70000, 5}));
        assertArrayEquals(new Long[] {1L << 40, -3L}, (Long[]) roundTrip(DataType.Int64Array_VALUE, new long[] {1L << 40, -3}));
        assertArrayEquals(new Double[] {1.5, -2.0}, (Double[]) roundTrip(DataType.DoubleArray_VALUE, new double[] {1.5, -2.0}));
        assertArrayEquals(new Float[] {1.5f}, (Float[]) roundTrip(DataType.FloatArray_VALUE, new double[] {1.5}));
        boolean[] bits = {false, false, true, true, false, true, false, false, true, true, false, true};
        assertArrayEquals(new byte[] {12, 0, 0, 0, 0x34, (byte) 0xD0},
                SparkplugValues.packArray(DataType.BooleanArray_VALUE, bits), "the example of the specification");
        Boolean[] boxed = (Boolean[]) roundTrip(DataType.BooleanArray_VALUE, bits);
        for (int i = 0; i < bits.length; i++) {
            assertEquals(bits[i], boxed[i], "bit " + i);
        }
        assertArrayEquals(new String[] {"a", "bc", ""}, (String[]) roundTrip(DataType.StringArray_VALUE,
                new String[] {"a", "bc", ""}));
    }

    @Test
    void badAndUncertainValuesCarryQualityAndBadOnesNoValue() {
        Metric.Builder m = Metric.newBuilder();
        SparkplugValues.set(m, DataType.Double_VALUE, TagValue.bad("c", "t", "timeout"));
        assertTrue(m.getIsNull());
        assertEquals("Quality", m.getProperties().getKeys(0));
        assertEquals(SparkplugValues.QUALITY_BAD, m.getProperties().getValues(0).getIntValue());
        m = Metric.newBuilder();
        SparkplugValues.set(m, DataType.Double_VALUE, TagValue.of("c", "t", 1.0, Quality.UNCERTAIN, "stale", 1, 2));
        assertEquals(1.0, m.getDoubleValue());
        assertEquals(SparkplugValues.QUALITY_STALE, m.getProperties().getValues(0).getIntValue());
        assertEquals(1, m.getTimestamp());
    }

    /** tck-id-payloads-propertyset-quality-value-type and -value: an Int32 of 0, 192 or 500. */
    @Test
    void qualityCodesAreOnlyThoseSparkplugAllows() {
        for (Quality q : Quality.values()) {
            Metric.Builder m = Metric.newBuilder();
            SparkplugValues.set(m, DataType.Double_VALUE, q == Quality.BAD ? TagValue.bad("c", "t", "down")
                    : TagValue.of("c", "t", 2.5, q, null, 1, 2));
            if (q == Quality.GOOD) {
                assertFalse(m.hasProperties(), "GOOD is the default: no property");
                continue;
            }
            assertEquals(List.of("Quality"), m.getProperties().getKeysList());
            assertEquals(DataType.Int32_VALUE, m.getProperties().getValues(0).getType());
            int code = m.getProperties().getValues(0).getIntValue();
            assertTrue(code == 0 || code == 192 || code == 500, q + " sent as " + code);
        }
    }

    @Test
    void aBadValueCarriesNoValueEvenWhenTheMachineSentOne() {
        // an OPC UA value with a Bad status code still has the server's value in it
        Metric.Builder m = Metric.newBuilder();
        SparkplugValues.set(m, DataType.Double_VALUE, TagValue.of("c", "t", 7.0, Quality.BAD, "Bad_SensorFailure", 1, 2));
        assertTrue(m.getIsNull());
        assertFalse(m.hasDoubleValue());
        assertEquals(SparkplugValues.QUALITY_BAD, m.getProperties().getValues(0).getIntValue());
    }

    @Test
    void commandValuesMustFitTheBirthDatatype() {
        assertEquals(7L, SparkplugValues.commandValue(Metric.newBuilder().setIntValue(7).build(), DataType.Int32_VALUE));
        assertEquals(4_000_000_000L, SparkplugValues.commandValue(
                Metric.newBuilder().setIntValue((int) 4_000_000_000L).build(), DataType.UInt32_VALUE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkplugValues.commandValue(
                Metric.newBuilder().setDatatype(DataType.String_VALUE).setStringValue("x").build(), DataType.Double_VALUE));
        assertTrue(e.getMessage().contains("String where the birth said Double"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkplugValues.commandValue(
                Metric.newBuilder().setBooleanValue(true).build(), DataType.Double_VALUE));
        assertThrows(IllegalArgumentException.class, () -> SparkplugValues.commandValue(
                Metric.newBuilder().setIsNull(true).build(), DataType.Double_VALUE));
    }
}
