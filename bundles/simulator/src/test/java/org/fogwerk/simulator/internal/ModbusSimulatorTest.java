package org.fogwerk.simulator.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import org.fogwerk.api.DataType;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.testing.Configs;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One slave for the class, 21 tags: read-only tags 1..14 (two of every type), set points
 * 15..21 (one of every type). Decoding here is written out by hand, apart from the main code.
 */
class ModbusSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int UNIT = 3;

    private static int port;
    private static ModbusSimulator simulator;
    private static ModbusTCPMaster master;

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.next();
        simulator = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class,
                "port", port, "unit.id", UNIT, "tag.count", 21,
                "writable.count", 7, "update.interval", 100));
        await().atMost(WAIT).until(() -> simulator.status().running());
        master = new ModbusTCPMaster("127.0.0.1", port);
        master.connect();
    }

    @AfterAll
    static void stop() {
        if (master != null) {
            master.disconnect();
        }
        if (simulator != null) {
            simulator.deactivate();
        }
    }

    @Test
    void clientsThatConnectAndSayNothingDoNotLockTheOthersOut() throws Exception {
        // the node's own connection and a commissioning tool, next to 14 idle clients: 16 places
        List<java.net.Socket> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 14; i++) {
                idle.add(new java.net.Socket("127.0.0.1", port));
            }
            ModbusTCPMaster other = new ModbusTCPMaster("127.0.0.1", port, 2000, false);
            try {
                other.connect();
                assertEquals(1, other.readInputRegisters(UNIT, 0, 1).length);
            } finally {
                other.disconnect();
            }
            assertEquals(1, master.readInputRegisters(UNIT, 0, 1).length);
        } finally {
            for (java.net.Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void statusAndTheDocumentedMap() {
        SimulatorStatus status = simulator.status();
        assertEquals("modbus", status.protocol());
        assertTrue(status.running());
        assertEquals("modbus-tcp://127.0.0.1:" + port + " unit 3", status.endpoint());
        assertEquals(21, status.tagCount());

        assertEquals(List.of(
                "sineBoolean01 discrete-input 0", "rampInt1602 input-register 0", "randomInt3203 input-register 1",
                "counterUInt1604 input-register 3", "stateFloat05 input-register 4", "sineDouble06 input-register 6",
                "rampString07 input-register 10", "randomBoolean08 discrete-input 1",
                "counterInt1609 input-register 18", "stateInt3210 input-register 19", "sineUInt1611 input-register 21",
                "rampFloat12 input-register 22", "randomDouble13 input-register 24",
                "counterString14 input-register 28", "setpointBoolean15 coil 0", "setpointInt1616 holding-register 0",
                "setpointInt3217 holding-register 1", "setpointUInt1618 holding-register 3",
                "setpointFloat19 holding-register 4", "setpointDouble20 holding-register 6",
                "setpointString21 holding-register 10"),
                simulator.tags().stream().map(t -> t.name() + " " + t.address()).collect(Collectors.toList()));
    }

    @Test
    void inputRegistersAndDiscreteInputsDecodeToTheGeneratedValues() {
        List<SimulatedTag> readOnly = simulator.tags().stream().filter(t -> !t.writable()).collect(Collectors.toList());
        // a read may straddle an update: read again until it shows one update's values
        await().atMost(WAIT).untilAsserted(() -> {
            InputRegister[] registers = master.readInputRegisters(UNIT, 0, 36);
            BitVector bits = master.readInputDiscretes(UNIT, 0, 2);
            for (SimulatedTag tag : readOnly) {
                int address = Integer.parseInt(tag.address().substring(tag.address().indexOf(' ') + 1));
                Object value = tag.dataType() == DataType.BOOLEAN ? bits.getBit(address)
                        : decode(tag.dataType(), registers, address);
                assertEquals(simulator.generatedValue(tag.name()), value, tag.name());
            }
        });
    }

    @Test
    void valuesChangeOverUpdates() throws Exception {
        int counter = master.readInputRegisters(UNIT, 3, 1)[0].getValue();
        long updates = simulator.status().updates();

        await().atMost(WAIT).until(() -> simulator.status().updates() >= updates + 3);

        assertNotEquals(counter, master.readInputRegisters(UNIT, 3, 1)[0].getValue());
    }

    @Test
    void coilsAndHoldingRegistersKeepWritesAndCountThem() throws Exception {
        long before = simulator.status().writes();

        master.writeCoil(UNIT, 0, true);
        master.writeSingleRegister(UNIT, 0, new SimpleRegister(-1234 & 0xFFFF));
        master.writeMultipleRegisters(UNIT, 1, registers(ByteBuffer.allocate(4).putInt(123_456_789)));
        master.writeSingleRegister(UNIT, 3, new SimpleRegister(65_000));
        master.writeMultipleRegisters(UNIT, 4, registers(ByteBuffer.allocate(4).putFloat(12.5f)));
        master.writeMultipleRegisters(UNIT, 6, registers(ByteBuffer.allocate(8).putDouble(-3.25)));
        master.writeMultipleRegisters(UNIT, 10,
                registers(ByteBuffer.allocate(16).put("hello".getBytes(StandardCharsets.US_ASCII))));

        assertTrue(master.readCoils(UNIT, 0, 1).getBit(0));
        Register[] held = master.readMultipleRegisters(UNIT, 0, 18);
        assertEquals(-1234L, decode(DataType.INT16, held, 0));
        assertEquals(123_456_789L, decode(DataType.INT32, held, 1));
        assertEquals(65_000L, decode(DataType.UINT16, held, 3));
        assertEquals(12.5, decode(DataType.FLOAT, held, 4));
        assertEquals(-3.25, decode(DataType.DOUBLE, held, 6));
        assertEquals("hello", decode(DataType.STRING, held, 10));
        // one write per tag, however many registers it took
        assertEquals(before + 7, simulator.status().writes());
    }

    @Test
    void anotherUnitOrAnAddressPastTheEndIsAnIllegalAddress() {
        ModbusSlaveException otherUnit = assertThrows(ModbusSlaveException.class,
                () -> master.readInputRegisters(UNIT + 1, 0, 1));
        ModbusSlaveException pastTheEnd = assertThrows(ModbusSlaveException.class,
                () -> master.readInputRegisters(UNIT, 30, 10));

        assertEquals(Modbus.ILLEGAL_ADDRESS_EXCEPTION, otherUnit.getType());
        assertEquals(Modbus.ILLEGAL_ADDRESS_EXCEPTION, pastTheEnd.getType());
    }

    @Test
    void codecMatchesTheHandWrittenDecoding() {
        for (Object[] sample : new Object[][] {{DataType.INT16, -2L}, {DataType.UINT16, 65_535L},
                {DataType.INT32, -70_000L}, {DataType.FLOAT, 1.5}, {DataType.DOUBLE, Math.PI},
                {DataType.STRING, "RUNNING"}}) {
            DataType type = (DataType) sample[0];
            int[] words = RegisterCodec.encode(type, sample[1]);
            InputRegister[] registers = new InputRegister[words.length];
            for (int i = 0; i < words.length; i++) {
                registers[i] = new SimpleRegister(words[i]);
            }
            assertEquals(sample[1], decode(type, registers, 0), type.name());
            assertEquals(sample[1], RegisterCodec.decode(type, words), type.name());
        }
        assertEquals("0123456789abcdef", RegisterCodec.decode(DataType.STRING,
                RegisterCodec.encode(DataType.STRING, "0123456789abcdefXYZ")));
    }

    private static Register[] registers(ByteBuffer bytes) {
        Register[] registers = new Register[bytes.capacity() / 2];
        for (int i = 0; i < registers.length; i++) {
            registers[i] = new SimpleRegister(bytes.getShort(i * 2) & 0xFFFF);
        }
        return registers;
    }

    /** Big-endian bytes and words, as the README's Modbus map documents. */
    private static Object decode(DataType type, InputRegister[] registers, int address) {
        ByteBuffer bytes = ByteBuffer.allocate(16);
        for (int i = 0; i < 8 && address + i < registers.length; i++) {
            bytes.putShort((short) registers[address + i].getValue());
        }
        switch (type) {
            case INT16:
                return (long) bytes.getShort(0);
            case UINT16:
                return (long) (bytes.getShort(0) & 0xFFFF);
            case INT32:
                return (long) bytes.getInt(0);
            case FLOAT:
                return (double) bytes.getFloat(0);
            case DOUBLE:
                return bytes.getDouble(0);
            default:
                String text = new String(bytes.array(), StandardCharsets.US_ASCII);
                int end = text.indexOf('\0');
                return end < 0 ? text : text.substring(0, end);
        }
    }
}
