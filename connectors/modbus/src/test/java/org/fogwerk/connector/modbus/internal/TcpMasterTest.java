package org.fogwerk.connector.modbus.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.ghgande.j2mod.modbus.ModbusException;

/** Answers paired with their requests by transaction id, against a gateway with a slow unit behind it. */
class TcpMasterTest {

    private FakeSlave gateway;
    private TcpMaster master;

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeSlave();
        gateway.unitValues.put(1, 111);
        gateway.unitValues.put(5, 555);
        master = new TcpMaster("127.0.0.1", gateway.port(), 500);
        master.connect();
        master.setRetries(1); // as a connection with retries = 0 does
    }

    @AfterEach
    void stop() throws Exception {
        master.disconnect();
        gateway.close();
    }

    @Test
    void aLateAnswerArrivingWhileAnotherUnitsAnswerIsAwaitedIsPassedOver() throws Exception {
        gateway.unitDelays.put(5, 700L);
        gateway.unitDelays.put(1, 300L);
        ModbusException e = assertThrows(ModbusException.class, () -> master.readMultipleRegisters(5, 0, 2));
        assertTrue(ModbusReasons.isTimeout(e), e.getMessage());
        // unit 5's answer arrives 200 ms into this wait, unit 1's 100 ms after it
        assertEquals(111, master.readMultipleRegisters(1, 0, 2)[0].getValue());
        assertEquals(2, gateway.lateAnswers.get(), "unit 5's answer came first");
        gateway.unitDelays.clear();
        assertEquals(111, master.readMultipleRegisters(1, 0, 2)[1].getValue());
        assertEquals(555, master.readMultipleRegisters(5, 0, 1)[0].getValue());
        assertEquals(1, gateway.accepted.get());
    }

    @Test
    void onlyLateAnswersUntilTheTimeoutAreATimeoutWithinTheTimeout() throws Exception {
        gateway.unitDelays.put(5, 900L);
        assertThrows(ModbusException.class, () -> master.readMultipleRegisters(5, 0, 2));
        long t0 = System.nanoTime();
        // the first answer arrives 400 ms into this wait; the wait still ends at 500 ms, not 400 ms later
        ModbusException e = assertThrows(ModbusException.class, () -> master.readMultipleRegisters(5, 0, 2));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ModbusReasons.isTimeout(e), e.getMessage());
        assertEquals(1, gateway.lateAnswers.get());
        assertTrue(ms >= 450 && ms < 800, ms + " ms");
        // the second late answer is passed over by whichever request it meets
        assertEquals(111, master.readMultipleRegisters(1, 0, 1)[0].getValue());
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.lateAnswers.get() == 2);
        assertEquals(111, master.readMultipleRegisters(1, 0, 1)[0].getValue());
        assertTrue(master.isConnected());
        assertEquals(1, gateway.accepted.get());
    }
}
