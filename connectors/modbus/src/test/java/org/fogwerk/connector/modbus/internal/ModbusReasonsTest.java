package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;

import org.junit.jupiter.api.Test;

class ModbusReasonsTest {

    @Test
    void aTimeoutIsSaidPlainlyWithoutTheLibrarysNull() {
        // what j2mod throws when the device is silent: its text ends in the cause's null message
        ModbusIOException e = new ModbusIOException("Socket timeout reading response - null");
        assertEquals("the device did not answer within the timeout", ModbusReasons.describe(e));
        ModbusException wrapped = new ModbusException("Executing transaction failed (tried 1 times) - null");
        wrapped.initCause(new SocketTimeoutException());
        assertEquals("the device did not answer within the timeout", ModbusReasons.describe(wrapped));
    }

    @Test
    void aRefusedOrUnknownAddressIsNamed() {
        ModbusException refused = new ModbusException("Connection failed for 127.0.0.1:5020 Connection refused");
        refused.initCause(new ConnectException("Connection refused"));
        assertEquals("connection refused (nothing listens on that port, or the device is off)",
                ModbusReasons.describe(refused));
        assertEquals("unknown host plc-7.local", ModbusReasons.describe(new UnknownHostException("plc-7.local")));
    }

    @Test
    void aClosedConnectionIsSaidSo() {
        assertEquals("the device closed the connection",
                ModbusReasons.describe(new ModbusIOException("Premature end of stream (Message truncated) - null")));
        assertEquals("the device closed the connection", ModbusReasons.describe(new EOFException()));
    }

    @Test
    void anythingElseKeepsItsTextButNotTheTrailingNull() {
        assertEquals("Invalid request or connection",
                ModbusReasons.describe(new ModbusException("Invalid request or connection - null")));
        assertEquals("IllegalStateException", ModbusReasons.describe(new IllegalStateException()));
    }
}
