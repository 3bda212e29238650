package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ModbusConnectionsTest {

    @Test
    void aSecondConnectionWithTheSameNameNeitherReplacesNorRemovesTheFirst() {
        ModbusConnections connections = new ModbusConnections();
        ModbusConnection working = ModbusConnection.failed("line2", "first");
        ModbusConnection duplicate = ModbusConnection.failed("line2", "second");
        connections.add(working);
        connections.add(duplicate);
        assertSame(working, connections.get("line2").orElseThrow(), "the commissioning commands keep the first");
        connections.remove(duplicate);
        assertSame(working, connections.get("line2").orElseThrow(), "and still have it after the duplicate is deleted");
    }
}
