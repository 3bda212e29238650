package org.fogwerk.connector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.fogwerk.api.DataType;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;

class ValueMapperTest {

    @Test
    void scalarsOfEveryBuiltInKind() {
        assertEquals(true, ValueMapper.toJava(true));
        assertEquals(-5L, ValueMapper.toJava((byte) -5));
        assertEquals(200L, ValueMapper.toJava(ubyte(200)));
        assertEquals(65535L, ValueMapper.toJava(ushort(65535)));
        assertEquals(4_294_967_295L, ValueMapper.toJava(uint(4_294_967_295L)));
        assertEquals(-1L, ValueMapper.toJava(ulong(-1L)), "UInt64 above Long.MAX_VALUE wraps as in the API");
        assertEquals(1.5, ValueMapper.toJava(1.5f));
        Instant t = Instant.parse("2026-11-22T10:15:30.123Z");
        assertEquals(t.toEpochMilli(), ValueMapper.toJava(new DateTime(t)));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) ValueMapper.toJava(ByteString.of(new byte[] {1, 2})));
        assertEquals("Hallo", ValueMapper.toJava(LocalizedText.english("Hallo")));
        assertEquals("2:Temp", ValueMapper.toJava(new QualifiedName(2, "Temp")));
        assertEquals("ns=2;s=Temp", ValueMapper.toJava(new NodeId(2, "Temp")));
    }

    @Test
    void arrays() {
        assertArrayEquals(new long[] {1, 2, 3}, (long[]) ValueMapper.toJava(new Integer[] {1, 2, 3}));
        assertArrayEquals(new long[] {7, 65535}, (long[]) ValueMapper.toJava(new UShort[] {ushort(7), ushort(65535)}));
        assertArrayEquals(new long[] {4_000_000_000L}, (long[]) ValueMapper.toJava(new UInteger[] {uint(4_000_000_000L)}));
        assertArrayEquals(new double[] {0.5, 1.5}, (double[]) ValueMapper.toJava(new Float[] {0.5f, 1.5f}));
        assertArrayEquals(new boolean[] {true, false}, (boolean[]) ValueMapper.toJava(new Boolean[] {true, false}));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) ValueMapper.toJava(new String[] {"a", "b"}));
        assertArrayEquals(new String[] {"x"}, (String[]) ValueMapper.toJava(new LocalizedText[] {LocalizedText.english("x")}));
        assertArrayEquals(new long[] {0L}, (long[]) ValueMapper.toJava(new DateTime[] {new DateTime(Instant.EPOCH)}));
    }

    @Test
    void statusBecomesQualityWithTheStatusName() {
        DataValue uncertain = new DataValue(new Variant(3.0), new StatusCode(StatusCodes.Uncertain_LastUsableValue),
                null, null);
        TagValue v = ValueMapper.toTagValue("c", "t", uncertain, 1000);
        assertEquals(Quality.UNCERTAIN, v.quality());
        assertEquals("Uncertain_LastUsableValue", v.qualityReason());
        assertEquals(3.0, v.value());
        TagValue bad = ValueMapper.toTagValue("c", "t", new DataValue(StatusCode.BAD), 1000);
        assertEquals(Quality.BAD, bad.quality());
        TagValue unknown = ValueMapper.toTagValue("c", "t",
                new DataValue(new StatusCode(StatusCodes.Bad_NodeIdUnknown)), 1000);
        assertEquals("Bad_NodeIdUnknown", unknown.qualityReason());
        DateTime src = new DateTime(Instant.ofEpochMilli(500));
        DataValue timed = new DataValue(new Variant(1), StatusCode.GOOD, src, new DateTime(Instant.ofEpochMilli(700)));
        assertEquals(500, ValueMapper.toTagValue("c", "t", timed, 1000).sourceTime());
        DataValue serverOnly = new DataValue(new Variant(1), StatusCode.GOOD, null, new DateTime(Instant.ofEpochMilli(700)));
        assertEquals(700, ValueMapper.toTagValue("c", "t", serverOnly, 1000).sourceTime());
    }

    @Test
    void writesConvertToTheNodesTypeAndRefuseWhatDoesNotFit() {
        assertEquals((short) 42, ValueMapper.toVariant(42L, Identifiers.Int16).getValue());
        assertEquals(ushort(65535), ValueMapper.toVariant(65535L, Identifiers.UInt16).getValue());
        assertEquals(uint(7), ValueMapper.toVariant("7", Identifiers.UInt32).getValue());
        assertEquals(2.5f, ValueMapper.toVariant(2.5, Identifiers.Float).getValue());
        assertEquals(2.5, ValueMapper.toVariant(2.5, Identifiers.Duration).getValue());
        assertEquals(true, ValueMapper.toVariant("true", Identifiers.Boolean).getValue());
        assertEquals("x", ValueMapper.toVariant("x", Identifiers.String).getValue());
        assertThrows(IllegalArgumentException.class, () -> ValueMapper.toVariant(70000L, Identifiers.Int16));
        assertThrows(IllegalArgumentException.class, () -> ValueMapper.toVariant(-1L, Identifiers.UInt16));
        // a uint64 up to 2^64-1 as checked on the way in, never a negative one
        assertEquals(ULong.MAX, ValueMapper.toVariant(DataType.UINT64.coerce("18446744073709551615"),
                Identifiers.UInt64).getValue());
        assertThrows(IllegalArgumentException.class, () -> ValueMapper.toVariant(-5L, Identifiers.UInt64));
        assertThrows(IllegalArgumentException.class, () -> ValueMapper.toVariant(1.5, Identifiers.Int32));
        assertThrows(IllegalArgumentException.class, () -> ValueMapper.toVariant(1L, new NodeId(2, 999)));
    }
}
