package org.fogwerk.connector.modbus.internal.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.connector.modbus.internal.Commissioning;
import org.fogwerk.connector.modbus.internal.ModbusConnections;

/** Reads raw registers or bits from a device and decodes them, for commissioning. */
@Service
@Command(scope = "fogwerk", name = "modbus-read",
        description = "Reads raw Modbus registers or bits through a connection and decodes them")
public class ModbusReadCommand extends ConnectionAction {

    @Reference
    ModbusConnections connections;

    @Argument(index = 1, name = "unit", description = "Unit (slave) id", required = true)
    int unit;

    @Argument(index = 2, name = "area", description = "coil, discrete-input, input or holding", required = true)
    @Completion(value = StringsCompleter.class, values = {"coil", "discrete-input", "input", "holding"})
    String area;

    @Argument(index = 3, name = "address", description = "0-based address", required = true)
    String address;

    @Argument(index = 4, name = "count", description = "Registers or bits to read", required = true)
    int count;

    @Argument(index = 5, name = "type", description = "Decode from the first register as: bool, int16, uint16,"
            + " int32, uint32, int64, uint64, float32, float64, string(n), bit(n)")
    @Completion(value = StringsCompleter.class, values = {"int16", "uint16", "int32", "uint32", "int64", "uint64",
        "float32", "float64", "bool"})
    String type;

    @Argument(index = 6, name = "order", description = "ABCD (default), CDAB, BADC or DCBA")
    @Completion(value = StringsCompleter.class, values = {"ABCD", "CDAB", "BADC", "DCBA"})
    String order;

    @Override
    protected Object answer() {
        Commissioning.Result r = Commissioning.read(connections, connection, unit, area, address, count, type, order);
        ShellTable table = new ShellTable();
        table.column("Area");
        table.column("Address").alignRight();
        table.column("Value").alignRight();
        table.column("Hex");
        for (int i = 0; i < r.words().length; i++) {
            int w = r.words()[i];
            table.addRow().addContent(r.area(), r.address() + i, w, String.format("0x%04X", w));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        table.print(ps);
        if (r.decoded() != null) {
            ps.println(r.type() + " " + r.order() + " = " + r.decoded());
        }
        return out.toString(StandardCharsets.UTF_8).stripTrailing();
    }
}
