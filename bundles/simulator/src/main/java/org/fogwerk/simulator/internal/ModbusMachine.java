package org.fogwerk.simulator.internal;

import java.net.InetAddress;
import java.util.List;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.DigitalIn;
import com.ghgande.j2mod.modbus.procimg.DigitalOut;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveType;

import org.fogwerk.simulator.internal.ModbusLayout.Area;
import org.fogwerk.simulator.internal.ModbusLayout.Slot;
import org.fogwerk.support.config.InvalidConfigurationException;

/**
 * The catalog served by a j2mod TCP slave, laid out by {@link ModbusLayout} and encoded by
 * {@link RegisterCodec}. Coils and holding registers keep what clients write. One write
 * counts per tag: writing the four registers of a DOUBLE in one request is one write.
 */
final class ModbusMachine extends ServingMachine {

    /** Client connections served at the same time. */
    private static final int CONNECTIONS = 16;
    /** An idle client connection is closed after this, so a stopped slave's handlers end. */
    private static final int MAX_IDLE_SECONDS = 60;

    private final int unitId;
    private final ModbusLayout layout;
    private final SimulatorImage image;
    private final DiscreteInput[] discreteInputs;
    private ModbusSlave slave;

    ModbusMachine(String pid, int port, int unitId, List<CatalogTag> catalog, Runnable onWrite) {
        super(pid, port, catalog, onWrite);
        this.unitId = unitId;
        this.layout = new ModbusLayout(catalog);
        this.image = new SimulatorImage(unitId);
        this.discreteInputs = new DiscreteInput[layout.size(Area.DISCRETE_INPUT)];
    }

    @Override
    public String address(CatalogTag tag) {
        return layout.slot(tag).label();
    }

    @Override
    public void open(InetAddress address, List<Object> initialValues) throws Exception {
        for (CatalogTag tag : catalog) {
            Slot slot = layout.slot(tag);
            Object value = initialValues.get(tag.index());
            switch (slot.area()) {
                case DISCRETE_INPUT:
                    discreteInputs[slot.address()] = new DiscreteInput((Boolean) value);
                    image.addDigitalIn(discreteInputs[slot.address()]);
                    break;
                case COIL:
                    image.addDigitalOut(new WritableCoil((Boolean) value, onWrite));
                    break;
                case INPUT_REGISTER:
                    for (int word : RegisterCodec.encode(tag.type(), value)) {
                        image.addInputRegister(new SimpleInputRegister(word));
                    }
                    break;
                default:
                    TagWrites writes = new TagWrites(onWrite);
                    int[] words = RegisterCodec.encode(tag.type(), value);
                    for (int i = 0; i < words.length; i++) {
                        image.addRegister(new WritableRegister(words[i], i, writes));
                    }
                    break;
            }
        }
        // j2mod keeps one slave per port in a static map and hands out the existing one:
        // never share another simulator's slave
        ModbusSlave created;
        synchronized (ModbusSlaveFactory.class) { // the factory's own lock: look and create at once
            if (ModbusSlaveFactory.getSlave(ModbusSlaveType.TCP, port) != null) {
                throw InvalidConfigurationException.invalidValue(pid, "port", port,
                        "already in use by another Modbus slave in this node");
            }
            created = ModbusSlaveFactory.createTCPSlave(address, port, CONNECTIONS, false, MAX_IDLE_SECONDS);
        }
        created.setThreadName("fogwerk-simulator-modbus-listener-" + port);
        created.addProcessImage(unitId, image);
        synchronized (this) {
            slave = created;
        }
        try {
            created.open();
        } catch (ModbusException e) {
            close();
            throw e;
        }
    }

    @Override
    public void publish(CatalogTag tag, Object value) {
        Slot slot = layout.slot(tag);
        if (slot.area() == Area.DISCRETE_INPUT) {
            discreteInputs[slot.address()].set((Boolean) value);
        } else {
            image.writeInputRegisters(slot.address(), RegisterCodec.encode(tag.type(), value));
        }
    }

    @Override
    public synchronized void close() {
        if (slave != null) {
            // closes the listener socket and removes the slave from j2mod's static map
            ModbusSlaveFactory.close(slave);
            slave = null;
        }
    }

    /**
     * Reads of input registers see whole values: an update writes a tag's registers under the
     * same lock a read copies them under, so a FLOAT is never half old, half new.
     */
    static final class SimulatorImage extends SimpleProcessImage {

        private final Object lock = new Object();

        SimulatorImage(int unitId) {
            super(unitId);
        }

        @Override
        public InputRegister[] getInputRegisterRange(int offset, int count) {
            synchronized (lock) {
                InputRegister[] live = super.getInputRegisterRange(offset, count);
                InputRegister[] copy = new InputRegister[live.length];
                for (int i = 0; i < live.length; i++) {
                    copy[i] = new SimpleInputRegister(live[i].getValue());
                }
                return copy;
            }
        }

        void writeInputRegisters(int address, int[] words) {
            synchronized (lock) {
                for (int i = 0; i < words.length; i++) {
                    ((SimpleInputRegister) inputRegisters.get(address + i)).setValue(words[i]);
                }
            }
        }
    }

    /** A bit that one thread sets and client threads read. */
    abstract static class Bit {

        volatile boolean set;

        Bit(boolean initial) {
            this.set = initial;
        }

        public boolean isSet() {
            return set;
        }
    }

    /** A discrete input the simulator thread sets and client threads read. */
    static final class DiscreteInput extends Bit implements DigitalIn {

        DiscreteInput(boolean initial) {
            super(initial);
        }

        void set(boolean b) {
            set = b;
        }
    }

    /** A coil that keeps what clients write and counts each write. */
    static final class WritableCoil extends Bit implements DigitalOut {

        private final Runnable onWrite;

        WritableCoil(boolean initial, Runnable onWrite) {
            super(initial);
            this.onWrite = onWrite;
        }

        @Override
        public void set(boolean b) {
            set = b;
            onWrite.run();
        }
    }

    /**
     * Counts writes to one tag's holding registers. j2mod writes a request's registers one by
     * one on the connection's thread: a register that continues the previous one on the same
     * thread belongs to the same write.
     */
    static final class TagWrites {

        private final Runnable onWrite;
        private Thread lastWriter;
        private int lastOffset = -1;

        TagWrites(Runnable onWrite) {
            this.onWrite = onWrite;
        }

        synchronized void written(int offset) {
            Thread writer = Thread.currentThread();
            if (offset == 0 || writer != lastWriter || offset != lastOffset + 1) {
                onWrite.run();
            }
            lastWriter = writer;
            lastOffset = offset;
        }
    }

    /** A holding register that keeps what clients write. */
    static final class WritableRegister implements Register {

        private final int offset;
        private final TagWrites writes;
        private volatile int value;

        WritableRegister(int initial, int offset, TagWrites writes) {
            this.value = initial & 0xFFFF;
            this.offset = offset;
            this.writes = writes;
        }

        @Override
        public int getValue() {
            return value;
        }

        @Override
        public int toUnsignedShort() {
            return value;
        }

        @Override
        public short toShort() {
            return (short) value;
        }

        @Override
        public byte[] toBytes() {
            int v = value;
            return new byte[] {(byte) (v >> 8), (byte) v};
        }

        @Override
        public void setValue(int v) {
            value = v & 0xFFFF;
            writes.written(offset);
        }

        @Override
        public void setValue(short s) {
            setValue((int) s);
        }

        @Override
        public void setValue(byte[] bytes) {
            setValue(((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF));
        }
    }
}
