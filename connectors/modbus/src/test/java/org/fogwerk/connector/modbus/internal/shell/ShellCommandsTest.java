package org.fogwerk.connector.modbus.internal.shell;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.fogwerk.api.Quality;
import org.fogwerk.connector.modbus.internal.ModbusConnections;
import org.fogwerk.connector.modbus.internal.TestAccess;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.testing.FreePorts;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.Users;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShellCommandsTest {

    private ModbusSimulator sim;
    private StandaloneCore core;
    private ModbusConnections connections;
    private AutoCloseable connection;

    @BeforeEach
    void start() throws Exception {
        int port = FreePorts.next();
        sim = TestAccess.simulator(port);
        core = new StandaloneCore();
        connections = new ModbusConnections();
        connection = TestAccess.connect(connections, core, "press", Map.of("port", port, "poll.interval", 100L,
                "tags", "sp,,holding,3,float32,,,,,rw,-10,10; ro,,input,0,int16"));
        await().atMost(Duration.ofSeconds(10)).until(() -> core.bus().latest("press", "sp")
                .map(v -> v.quality() == Quality.GOOD).orElse(false));
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        core.close();
        sim.deactivate();
    }

    private ModbusReadCommand read(String area, String address, int count, String type, String order) {
        ModbusReadCommand c = new ModbusReadCommand();
        c.connections = connections;
        c.connection = "press";
        c.unit = 1;
        c.area = area;
        c.address = address;
        c.count = count;
        c.type = type;
        c.order = order;
        return c;
    }

    private ModbusWriteCommand write(String tag, String value) {
        ModbusWriteCommand c = new ModbusWriteCommand();
        c.registry = core.connectors();
        c.gateway = core.gateway(null, new MemoryAuditTrail());
        c.connection = "press";
        c.tag = tag;
        c.value = value;
        return c;
    }

    @Test
    void writeThroughTheRegistryThenReadRawAndDecoded() throws Exception {
        assertEquals("press/sp = -1.5: DONE", Users.operator(write("sp", "-1.5")::answer));
        String out = (String) read("holding", "3", 2, "float32", null).answer();
        assertTrue(out.contains("0xBFC0"), out);
        assertTrue(out.contains("0x0000"), out);
        assertTrue(out.endsWith("float32 ABCD = -1.5"), out);
        String swapped = (String) read("holding", "3", 2, "float32", "CDAB").answer();
        assertTrue(swapped.endsWith("float32 CDAB = " + Float.intBitsToFloat(0x0000BFC0)), swapped);
        await().atMost(Duration.ofSeconds(10)).until(() -> core.bus().latest("press", "sp")
                .map(v -> Double.valueOf(-1.5).equals(v.value())).orElse(false));
    }

    @Test
    void badArgumentsGiveOneClearLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Users.operator(write("sp", "11")::answer));
        assertEquals("press/sp: REFUSED: tag sp: 11 is above the maximum 10.0", e.getMessage());
        assertEquals("press/sp: DENIED: this needs the role operator; user 'vera' has the roles viewer",
                assertThrows(IllegalArgumentException.class, () -> Users.as("vera", java.util.List.of("viewer"),
                        write("sp", "1")::answer)).getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Users.operator(write("ro", "1")::answer));
        assertEquals("press/ro: REFUSED: tag ro is read-only", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("holdings", "0", 1, null, null).answer());
        assertEquals("'holdings' is not an area (use coil, discrete-input, input or holding)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("holding", "0", 126, null, null).answer());
        assertEquals("count must be 1..125 and the range within 0..65535", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("holding", "-1", 2, null, null).answer());
        assertEquals("address -1 is outside 0..65535", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("input", "500", 1, null, null).answer());
        assertEquals("read 1/input/500: Modbus exception 2 (illegal data address)", e.getMessage());
        ModbusReadCommand unknown = read("input", "0", 1, null, null);
        unknown.connection = "nope";
        e = assertThrows(IllegalArgumentException.class, unknown::answer);
        assertEquals("no Modbus connection 'nope' (have [press])", e.getMessage());
        // a connection of another protocol is not a Modbus one, for a write as for a read
        core.add(new org.fogwerk.testing.TestMachine("opc1", java.util.List.of(
                org.fogwerk.api.TagDefinition.readOnly("x", "ns=2;s=x", org.fogwerk.api.DataType.INT16))));
        ModbusWriteCommand other = write("x", "1");
        other.connection = "opc1";
        e = assertThrows(IllegalArgumentException.class, () -> Users.operator(other::answer));
        assertEquals("no Modbus connection 'opc1' (have [press])", e.getMessage());
    }
}
