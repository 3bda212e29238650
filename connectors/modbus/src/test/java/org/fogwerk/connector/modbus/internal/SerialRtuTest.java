package org.fogwerk.connector.modbus.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import org.fogwerk.api.Quality;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serial RTU end to end over a pseudo-terminal pair made by socat: a j2mod RTU slave on one
 * end, the connection (j2mod + jSerialComm) on the other.
 */
class SerialRtuTest {

    @Test
    void readsAndWritesOverAPtyPair(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(Paths.get("/usr/bin/socat")), "serial RTU is tested over socat: install it (.ci/run does)");
        Path master = dir.resolve("ttyMaster");
        Path slaveEnd = dir.resolve("ttySlave");
        Process socat = new ProcessBuilder("/usr/bin/socat", "pty,raw,echo=0,link=" + master,
                "pty,raw,echo=0,link=" + slaveEnd).redirectErrorStream(true).start();
        ModbusSlave slave = null;
        ModbusConnection c = null;
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(master) && Files.exists(slaveEnd));
            SerialParameters p = new SerialParameters();
            p.setPortName(slaveEnd.toRealPath().toString());
            p.setBaudRate(19200);
            p.setDatabits(8);
            p.setParity("even");
            p.setStopbits(1);
            p.setEncoding(Modbus.SERIAL_ENCODING_RTU);
            p.setEcho(false);
            SimpleProcessImage image = new SimpleProcessImage(5);
            image.addInputRegister(new SimpleInputRegister(0x42F6));
            image.addInputRegister(new SimpleInputRegister(0xE979));
            image.addRegister(new SimpleRegister(0));
            slave = ModbusSlaveFactory.createSerialSlave(p);
            slave.addProcessImage(5, image);
            slave.open();

            RecordingSink sink = new RecordingSink();
            c = new ModbusConnection(TestConfigs.settings("transport", "serial", "serial.port",
                    master.toRealPath().toString(), "baud", 19200, "parity", "even", "unit.id", 5, "timeout", 300,
                    "poll.interval", 100L, "tags", "f,,input,0,float32; h,,holding,0,int16,,,,,rw; ghost,9,input,0,int16"),
                    sink);
            c.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.get("f") != null
                    && sink.get("f").quality() == Quality.GOOD);
            assertEquals(123.456, sink.get("f").value());
            assertEquals(WriteResult.Outcome.DONE, c.write("h", -2L).toCompletableFuture().get(5, TimeUnit.SECONDS)
                    .outcome());
            assertEquals(0xFFFE, image.getRegister(0).getValue() & 0xFFFF);
            // a silent unit on the bus is BAD alone; the port stays open and the others GOOD
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.get("ghost") != null);
            assertEquals(Quality.BAD, sink.get("ghost").quality());
            assertTrue(sink.get("ghost").qualityReason().startsWith("no response from unit 9"),
                    sink.get("ghost").qualityReason());
            await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(-2L).equals(sink.get("h").value()));
            assertEquals(Quality.GOOD, sink.get("f").quality());
            assertEquals(0, c.status().reconnects());
        } finally {
            if (c != null) {
                c.stop();
            }
            if (slave != null) {
                ModbusSlaveFactory.close(slave);
            }
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsRtuFramesOverTcp() throws Exception {
        int port = FreePorts.next();
        SimpleProcessImage image = new SimpleProcessImage(3);
        image.addInputRegister(new SimpleInputRegister(0xFFFE));
        image.addInputRegister(new SimpleInputRegister(0xFFFF));
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(java.net.InetAddress.getLoopbackAddress(), port, 2,
                true);
        slave.addProcessImage(3, image);
        slave.open();
        RecordingSink sink = new RecordingSink();
        ModbusConnection c = new ModbusConnection(TestConfigs.settings("transport", "rtu-over-tcp", "port", port,
                "unit.id", 3, "poll.interval", 100L, "tags", "i,,input,0,int32,CDAB"), sink);
        try {
            c.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.get("i") != null
                    && sink.get("i").quality() == Quality.GOOD);
            assertEquals(-2L, sink.get("i").value());
        } finally {
            c.stop();
            ModbusSlaveFactory.close(slave);
        }
    }
}
