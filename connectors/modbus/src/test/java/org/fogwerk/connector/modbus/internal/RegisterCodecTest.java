package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RegisterCodecTest {

    private static final ModbusType F32 = ModbusType.parse("float32");
    private static final ModbusType F64 = ModbusType.parse("float64");
    private static final ModbusType I16 = ModbusType.parse("int16");
    private static final ModbusType U16 = ModbusType.parse("uint16");
    private static final ModbusType I32 = ModbusType.parse("int32");
    private static final ModbusType U32 = ModbusType.parse("uint32");
    private static final ModbusType I64 = ModbusType.parse("int64");
    private static final ModbusType U64 = ModbusType.parse("uint64");

    /** Decodes the words and checks that encoding the value gives them back. */
    private static void vector(ModbusType type, WordOrder order, Object value, int... words) {
        assertEquals(value, RegisterCodec.decode(words, 0, type, order), type + " " + order);
        assertArrayEquals(words, RegisterCodec.encode(type, order, value), type + " " + order + " encode");
        int[] shifted = new int[words.length + 3];
        System.arraycopy(words, 0, shifted, 3, words.length);
        assertEquals(value, RegisterCodec.decode(shifted, 3, type, order), type + " " + order + " at offset");
    }

    @Test
    void float32_123_456_inAllOrders() {
        double v = 123.456; // 0x42F6E979: the float 123.456f reads as 123.456, not as its exact 123.45600128173828
        vector(F32, WordOrder.ABCD, v, 0x42F6, 0xE979);
        vector(F32, WordOrder.CDAB, v, 0xE979, 0x42F6);
        vector(F32, WordOrder.BADC, v, 0xF642, 0x79E9);
        vector(F32, WordOrder.DCBA, v, 0x79E9, 0xF642);
    }

    @Test
    void aFloat32SetPointReadsBackAsTheNumberWritten() {
        // written as 0.1, read back as 0.1: desired and reported state match and the delta clears
        vector(F32, WordOrder.ABCD, 0.1, 0x3DCC, 0xCCCD);
        assertEquals(0.1, RegisterCodec.decode(RegisterCodec.encode(F32, WordOrder.CDAB, 0.1), 0, F32, WordOrder.CDAB));
        assertEquals(Double.POSITIVE_INFINITY, RegisterCodec.decode(new int[] {0x7F80, 0}, 0, F32, WordOrder.ABCD));
        assertEquals(16777216.0, RegisterCodec.decode(new int[] {0x4B80, 0}, 0, F32, WordOrder.ABCD));
    }

    @Test
    void float32_minus1_5_inAllOrders() {
        vector(F32, WordOrder.ABCD, -1.5, 0xBFC0, 0x0000);
        vector(F32, WordOrder.CDAB, -1.5, 0x0000, 0xBFC0);
        vector(F32, WordOrder.BADC, -1.5, 0xC0BF, 0x0000);
        vector(F32, WordOrder.DCBA, -1.5, 0x0000, 0xC0BF);
    }

    @Test
    void int32_minus2_inAllOrders() {
        vector(I32, WordOrder.ABCD, -2L, 0xFFFF, 0xFFFE);
        vector(I32, WordOrder.CDAB, -2L, 0xFFFE, 0xFFFF);
        vector(I32, WordOrder.BADC, -2L, 0xFFFF, 0xFEFF);
        vector(I32, WordOrder.DCBA, -2L, 0xFEFF, 0xFFFF);
    }

    @Test
    void int32AndUint32() {
        vector(I32, WordOrder.ABCD, 0x12345678L, 0x1234, 0x5678);
        vector(I32, WordOrder.CDAB, 0x12345678L, 0x5678, 0x1234);
        vector(I32, WordOrder.ABCD, (long) Integer.MIN_VALUE, 0x8000, 0x0000);
        vector(U32, WordOrder.ABCD, 0xFFFFFFFEL, 0xFFFF, 0xFFFE);
        vector(U32, WordOrder.DCBA, 0xFFFFFFFEL, 0xFEFF, 0xFFFF);
        vector(U32, WordOrder.BADC, 0x12345678L, 0x3412, 0x7856);
    }

    @Test
    void int16AndUint16() {
        vector(I16, WordOrder.ABCD, -2L, 0xFFFE);
        vector(I16, WordOrder.ABCD, 32767L, 0x7FFF);
        vector(I16, WordOrder.ABCD, -32768L, 0x8000);
        vector(I16, WordOrder.BADC, -2L, 0xFEFF);
        vector(I16, WordOrder.CDAB, 0x1234L, 0x1234); // no word to swap in one register
        vector(I16, WordOrder.DCBA, 0x1234L, 0x3412);
        vector(U16, WordOrder.ABCD, 65535L, 0xFFFF);
        vector(U16, WordOrder.ABCD, 0x8001L, 0x8001);
        vector(U16, WordOrder.BADC, 0x8001L, 0x0180);
    }

    @Test
    void int64AndUint64InAllOrders() {
        long v = 0x0102030405060708L;
        vector(I64, WordOrder.ABCD, v, 0x0102, 0x0304, 0x0506, 0x0708);
        vector(I64, WordOrder.CDAB, v, 0x0708, 0x0506, 0x0304, 0x0102);
        vector(I64, WordOrder.BADC, v, 0x0201, 0x0403, 0x0605, 0x0807);
        vector(I64, WordOrder.DCBA, v, 0x0807, 0x0605, 0x0403, 0x0201);
        vector(I64, WordOrder.ABCD, -2L, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFE);
        vector(U64, WordOrder.ABCD, -1L, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF); // 2^64-1 wraps as documented
        vector(U64, WordOrder.CDAB, 5L, 0x0005, 0, 0, 0);
    }

    @Test
    void float64InAllOrders() {
        vector(F64, WordOrder.ABCD, 1.0, 0x3FF0, 0, 0, 0);
        vector(F64, WordOrder.CDAB, 1.0, 0, 0, 0, 0x3FF0);
        vector(F64, WordOrder.BADC, 1.0, 0xF03F, 0, 0, 0);
        vector(F64, WordOrder.DCBA, 1.0, 0, 0, 0, 0xF03F);
        // 123.456 = 0x405EDD2F1A9FBE77
        vector(F64, WordOrder.ABCD, 123.456, 0x405E, 0xDD2F, 0x1A9F, 0xBE77);
        vector(F64, WordOrder.CDAB, 123.456, 0xBE77, 0x1A9F, 0xDD2F, 0x405E);
        vector(F64, WordOrder.BADC, 123.456, 0x5E40, 0x2FDD, 0x9F1A, 0x77BE);
        vector(F64, WordOrder.DCBA, 123.456, 0x77BE, 0x9F1A, 0x2FDD, 0x5E40);
        vector(F64, WordOrder.ABCD, -1.5, 0xBFF8, 0, 0, 0);
    }

    @Test
    void strings() {
        ModbusType s5 = ModbusType.parse("string(5)");
        assertEquals(3, s5.registers());
        vector(s5, WordOrder.ABCD, "HELLO", 0x4845, 0x4C4C, 0x4F00);
        vector(s5, WordOrder.BADC, "HELLO", 0x4548, 0x4C4C, 0x004F);
        vector(s5, WordOrder.CDAB, "HELLO", 0x4845, 0x4C4C, 0x4F00); // word order does not apply to text
        vector(s5, WordOrder.ABCD, "HI", 0x4849, 0, 0); // zero padded, stops at the first zero
        assertArrayEquals(new int[] {0x4142, 0x4344, 0x4500}, RegisterCodec.encode(s5, WordOrder.ABCD, "ABCDEFG"));
    }

    @Test
    void bitsAndBools() {
        ModbusType bit3 = ModbusType.parse("bit(3)");
        assertEquals(true, RegisterCodec.decode(new int[] {0x0008}, 0, bit3, WordOrder.ABCD));
        assertEquals(false, RegisterCodec.decode(new int[] {0xFFF7}, 0, bit3, WordOrder.ABCD));
        assertEquals(true, RegisterCodec.decode(new int[] {0x8000}, 0, ModbusType.parse("bit(15)"), WordOrder.ABCD));
        assertEquals(true, RegisterCodec.decode(new int[] {0x0800}, 0, bit3, WordOrder.BADC)); // byte swapped
        assertEquals(0x000D, RegisterCodec.withBit(0x0005, 3, true));
        assertEquals(0x0005, RegisterCodec.withBit(0x000D, 3, false));
        assertThrows(IllegalArgumentException.class, () -> RegisterCodec.encode(bit3, WordOrder.ABCD, true));
        ModbusType bool = ModbusType.parse("bool");
        vector(bool, WordOrder.ABCD, true, 1);
        vector(bool, WordOrder.ABCD, false, 0);
        assertEquals(true, RegisterCodec.decode(new int[] {0x0100}, 0, bool, WordOrder.ABCD));
    }

    @Test
    void typeNamesAndSizes() {
        assertEquals("string(16)", ModbusType.parse("STRING( 16 )").toString());
        assertEquals(8, ModbusType.parse("string(16)").registers());
        assertEquals(4, ModbusType.parse("double").registers());
        assertEquals(2, ModbusType.parse("float").registers());
        assertThrows(IllegalArgumentException.class, () -> ModbusType.parse("bit(16)"));
        assertThrows(IllegalArgumentException.class, () -> ModbusType.parse("string(0)"));
        assertThrows(IllegalArgumentException.class, () -> ModbusType.parse("flaot"));
        assertThrows(IllegalArgumentException.class, () -> WordOrder.parse("ABDC"));
    }
}
