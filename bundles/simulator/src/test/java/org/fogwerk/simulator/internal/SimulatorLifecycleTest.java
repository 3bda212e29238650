package org.fogwerk.simulator.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.testing.Configs;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad configurations, a port in use, and a restart on the same port. */
class SimulatorLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("tag.count", -3, "tag.count = -3 is invalid: must be between 1 and 10000"),
                Arguments.of("tag.count", 0, "tag.count = 0 is invalid: must be between 1 and 10000"),
                Arguments.of("tag.count", 10_001, "tag.count = 10001 is invalid: must be between 1 and 10000"),
                Arguments.of("port", 0, "port = 0 is invalid: must be between 1 and 65535"),
                Arguments.of("port", 70_000, "port = 70000 is invalid: must be between 1 and 65535"),
                Arguments.of("port", "abc", "port is invalid: cannot be read as the expected type"),
                Arguments.of("patterns", "sine,square", "patterns = sine,square is invalid: unknown pattern 'square'"),
                Arguments.of("patterns", "", "patterns =  is invalid: at least one pattern is required"),
                Arguments.of("writable.count", 30, "writable.count = 30 is invalid: must be between 0 and tag.count (20)"),
                Arguments.of("writable.count", -1, "writable.count = -1 is invalid: must be between 0 and tag.count (20)"),
                Arguments.of("update.interval", 5, "update.interval = 5 is invalid: must be between 10 and 3600000"),
                Arguments.of("update.interval", 3_600_001L,
                        "update.interval = 3600001 is invalid: must be between 10 and 3600000"),
                Arguments.of("bind.address", "300.1.2.3", "bind.address = 300.1.2.3 is invalid: not an IPv4 address"),
                Arguments.of("bind.address", "", "bind.address = '' is invalid: an IP address or host name is required"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueKeepsTheOpcUaSimulatorOffAndSaysWhy(String key, Object value, String error) {
        assertOffWithAndDeactivate(new OpcUaSimulator(Configs.typed(OpcUaSimulatorConfig.class, key, value)),
                "org.fogwerk.simulator.opcua: " + error);
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueKeepsTheModbusSimulatorOffAndSaysWhy(String key, Object value, String error) {
        assertOffWithAndDeactivate(new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, key, value)),
                "org.fogwerk.simulator.modbus: " + error);
    }

    @Test
    void protocolSpecificKeysAreChecked() {
        OpcUaSimulator opcUa = new OpcUaSimulator(Configs.typed(OpcUaSimulatorConfig.class, "path", "fogwerk"));
        ModbusSimulator modbus = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, "unit.id", 248));
        try {
            assertOffWith(opcUa, "org.fogwerk.simulator.opcua: path = fogwerk is invalid: must start with /");
            assertOffWith(modbus, "org.fogwerk.simulator.modbus: unit.id = 248 is invalid: must be between 1 and 247");
        } finally {
            opcUa.deactivate();
            modbus.deactivate();
        }
    }

    @Test
    void anAddressOfAnotherMachineIsRefusedWhenResolved() {
        // TEST-NET-1 (RFC 5737): never an address of this machine
        ModbusSimulator simulator = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class,
                "bind.address", "192.0.2.1",
                "port", FreePorts.next()));
        try {
            await().atMost(WAIT).until(() -> !simulator.status().error().isEmpty());
            assertOffWith(simulator,
                    "org.fogwerk.simulator.modbus: bind.address = 192.0.2.1 is invalid: not an address of this machine");
        } finally {
            simulator.deactivate();
        }
    }

    @Test
    void aPortInUseKeepsBothSimulatorsOff() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Simulator opcUa = new OpcUaSimulator(Configs.typed(OpcUaSimulatorConfig.class, "port", port));
            Simulator modbus = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, "port", port));
            try {
                for (Simulator simulator : new Simulator[] {opcUa, modbus}) {
                    await().atMost(WAIT).until(() -> !simulator.status().error().isEmpty());
                    SimulatorStatus status = simulator.status();
                    assertFalse(status.running());
                    assertTrue(status.error().contains(": port = " + port + " is invalid: already in use on 127.0.0.1"),
                            status.error());
                }
            } finally {
                ((OpcUaSimulator) opcUa).deactivate();
                ((ModbusSimulator) modbus).deactivate();
            }
        }
    }

    @Test
    void aSecondModbusSimulatorOnTheSamePortStaysOffAndLeavesTheFirstAlone() throws Exception {
        int port = FreePorts.next();
        ModbusSimulator first = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, "port", port));
        await().atMost(WAIT).until(() -> first.status().running());
        // another loopback address passes the operating system's check: j2mod's own map of
        // slaves by port would hand out the first simulator's slave
        ModbusSimulator second = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class,
                "port", port, "bind.address", "127.0.0.2"));
        try {
            await().atMost(WAIT).until(() -> !second.status().error().isEmpty());
            assertOffWith(second, "org.fogwerk.simulator.modbus: port = " + port
                    + " is invalid: already in use by another Modbus slave in this node");
            assertTrue(first.status().running());
            readACounter(port);
        } finally {
            second.deactivate();
            first.deactivate();
        }
    }

    @Test
    void deactivateFreesTheModbusPortAtOnceEvenWithAClientConnected() throws Exception {
        int port = FreePorts.next();
        ModbusSimulator first = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, "port", port));
        await().atMost(WAIT).until(() -> first.status().running());
        ModbusTCPMaster stillConnected = new ModbusTCPMaster("127.0.0.1", port);
        stillConnected.connect();
        stillConnected.readInputRegisters(1, 3, 1);
        first.deactivate();
        assertFalse(first.status().running());

        ModbusSimulator second = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, "port", port));
        try {
            await().atMost(WAIT).until(() -> second.status().running() || !second.status().error().isEmpty());
            assertEquals("", second.status().error());
            readACounter(port);
        } finally {
            stillConnected.disconnect();
            second.deactivate();
        }
    }

    @Test
    void deactivateFreesTheOpcUaPortAtOnce() throws Exception {
        restartOnTheSamePort(port -> new OpcUaSimulator(Configs.typed(OpcUaSimulatorConfig.class,
                "port", port)), OpcUaSimulator::deactivate);
    }

    private static <S extends Simulator> void restartOnTheSamePort(Function<Integer, S> create,
            Consumer<S> deactivate) {
        int port = FreePorts.next();
        S first = create.apply(port);
        await().atMost(WAIT).until(() -> first.status().running());
        deactivate.accept(first);
        assertFalse(first.status().running());
        S second = create.apply(port);
        try {
            await().atMost(WAIT).until(() -> second.status().running() || !second.status().error().isEmpty());
            assertEquals("", second.status().error());
            assertTrue(second.status().running());
        } finally {
            deactivate.accept(second);
        }
    }

    private static void readACounter(int port) throws Exception {
        ModbusTCPMaster master = new ModbusTCPMaster("127.0.0.1", port);
        master.connect();
        try {
            master.readInputRegisters(1, 3, 1);
        } finally {
            master.disconnect();
        }
    }

    private static void assertOffWithAndDeactivate(RunnerSimulator simulator, String error) {
        try {
            assertOffWith(simulator, error);
        } finally {
            simulator.deactivate();
        }
    }

    private static void assertOffWith(Simulator simulator, String error) {
        SimulatorStatus status = simulator.status();
        assertFalse(status.running());
        assertTrue(status.error().startsWith(error), () -> "expected '" + error + "' but was '" + status.error() + "'");
    }
}
