package org.fogwerk.connector.modbus.internal;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;
import com.ghgande.j2mod.modbus.util.SerialParameters;

/** Reads a block and writes a tag with a j2mod master; a short answer is an error, never a partial value. */
final class MasterIo {

    /**
     * The device answered, but not what was asked: fewer registers or bits, or the answer of
     * another function. The connection is in step (the answer carried the request's transaction
     * id), so only the tags of the request go BAD.
     */
    static final class BadAnswerException extends ModbusException {
        private static final long serialVersionUID = 1L;

        BadAnswerException(String message) {
            super(message);
        }
    }

    private MasterIo() {
    }

    /** A master for the connection's transport, not yet connected. */
    static AbstractModbusMaster open(ModbusSettings settings) {
        switch (settings.transport()) {
            case SERIAL:
                SerialParameters p = new SerialParameters();
                p.setPortName(settings.serialPort());
                p.setBaudRate(settings.baud());
                p.setDatabits(settings.dataBits());
                p.setStopbits(settings.stopBits());
                p.setParity(settings.parity());
                p.setEncoding(Modbus.SERIAL_ENCODING_RTU);
                p.setEcho(false);
                return new ModbusSerialMaster(p, settings.timeout());
            case RTU_OVER_TCP:
                return new ModbusTCPMaster(settings.host(), settings.port(), settings.timeout(), false, true);
            default:
                return new TcpMaster(settings.host(), settings.port(), settings.timeout());
        }
    }

    /** Fills the block's words from the device. */
    static void read(AbstractModbusMaster master, Block b) throws ModbusException {
        try {
            readArea(master, b);
        } catch (ClassCastException e) {
            // j2mod casts the answer to the response of the function it asked for
            throw new BadAnswerException("the answer is not one of function " + b.area.readFunction() + " ("
                    + b.area.label() + ")");
        }
    }

    private static void readArea(AbstractModbusMaster master, Block b) throws ModbusException {
        switch (b.area) {
            case COIL:
                copyBits(master.readCoils(b.unitId, b.start, b.count), b.words);
                break;
            case DISCRETE_INPUT:
                copyBits(master.readInputDiscretes(b.unitId, b.start, b.count), b.words);
                break;
            case HOLDING:
                copyRegisters(master.readMultipleRegisters(b.unitId, b.start, b.count), b.words);
                break;
            default:
                copyRegisters(master.readInputRegisters(b.unitId, b.start, b.count), b.words);
                break;
        }
    }

    /** Writes the tag's raw value; returns how many requests it took (a bit in a register is read first). */
    static int write(AbstractModbusMaster master, TagSpec t, Object raw) throws ModbusException {
        try {
            return writeTag(master, t, raw);
        } catch (ClassCastException e) {
            throw new BadAnswerException("the answer is not one of the function asked for");
        }
    }

    private static int writeTag(AbstractModbusMaster master, TagSpec t, Object raw) throws ModbusException {
        int unit = t.unitId();
        if (t.area() == Area.COIL) {
            master.writeCoil(unit, t.address(), (Boolean) raw);
            return 1;
        }
        if (t.type().kind() == ModbusType.Kind.BIT) {
            Register[] current = master.readMultipleRegisters(unit, t.address(), 1);
            int updated = RegisterCodec.withBit(current[0].getValue() & 0xFFFF, t.type().size(), (Boolean) raw);
            master.writeSingleRegister(unit, t.address(), new SimpleRegister(updated));
            return 2;
        }
        int[] words = RegisterCodec.encode(t.type(), t.order(), raw);
        if (words.length == 1) {
            master.writeSingleRegister(unit, t.address(), new SimpleRegister(words[0]));
        } else {
            Register[] regs = new Register[words.length];
            for (int i = 0; i < words.length; i++) {
                regs[i] = new SimpleRegister(words[i]);
            }
            master.writeMultipleRegisters(unit, t.address(), regs);
        }
        return 1;
    }

    private static void copyBits(BitVector v, int[] into) throws ModbusException {
        if (v == null || v.size() < into.length) {
            throw new BadAnswerException("short response: " + (v == null ? 0 : v.size()) + " of " + into.length + " bits");
        }
        for (int i = 0; i < into.length; i++) {
            into[i] = v.getBit(i) ? 1 : 0;
        }
    }

    private static void copyRegisters(InputRegister[] r, int[] into) throws ModbusException {
        if (r == null || r.length < into.length) {
            throw new BadAnswerException("short response: " + (r == null ? 0 : r.length) + " of " + into.length
                    + " registers");
        }
        for (int i = 0; i < into.length; i++) {
            into[i] = r[i].getValue() & 0xFFFF;
        }
    }
}
