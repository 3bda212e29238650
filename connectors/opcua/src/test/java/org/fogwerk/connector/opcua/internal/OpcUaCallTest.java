package org.fogwerk.connector.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.testing.Configs.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.WriteResult.Outcome;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.connector.opcua.internal.TestSupport.Connections;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.simulator.internal.OpcUaSimulator;
import org.fogwerk.testing.FreePorts;
import org.fogwerk.testing.TestMachine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Method calls on the simulator's Machine object, through the core registry as every caller
 * makes them. One simulator and one connection for the class.
 */
class OpcUaCallTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NS = "nsu=urn:fogwerk:simulator;s=";
    private static final String MACHINE = NS + "Machine";
    private static final String SET_SETPOINT = NS + "Machine/SetSetpoint";
    private static final String RESET_COUNTERS = NS + "Machine/ResetCounters";

    @TempDir
    static Path dir;

    private static final Connections connections = new Connections();
    private static OpcUaSimulator simulator;
    private static OpcUaConnection connector;
    private static StandaloneCore core;
    private static ConnectorRegistry registry;

    @BeforeAll
    static void start() {
        int port = FreePorts.next();
        simulator = TestSupport.simulator(port, 21, 4);
        await().atMost(WAIT).until(() -> simulator.status().running());
        Map<String, Object> m = map("endpoint.url", "opc.tcp://127.0.0.1:" + port + "/fogwerk",
                "felix.fileinstall.filename", "etc/org.fogwerk.connector.opcua-sim.cfg",
                "tags", "sp=" + NS + "setpointDouble20;counter=" + NS + "counterUInt1604",
                "publishing.interval", "100", "sampling.interval", "50",
                "reconnect.min", "200", "reconnect.max", "1000", "pki.dir", dir.resolve("pki").toString());
        connector = connections.make(m);
        core = new StandaloneCore();
        core.add(connector);
        registry = core.connectors();
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.CONNECTED, connector.status().state(),
                connector.status().reason()));
    }

    @AfterAll
    static void stop() {
        if (core != null) {
            core.close();
        }
        connections.stop();
        if (simulator != null) {
            simulator.deactivate();
        }
    }

    private static CallResult call(String method, Object... args) throws Exception {
        return registry.call("sim", MACHINE, method, Arrays.asList(args)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static Object read(String tag) throws Exception {
        TagValue v = registry.read("sim", tag).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return v.value();
    }

    @Test
    void setSetpointConvertsTheArgumentsWritesTheTagAndReturnsThePreviousValue() throws Exception {
        assertTrue(connector.canCall());

        CallResult first = call(SET_SETPOINT, "setpointDouble20", "42.5"); // text, as the shell passes it
        CallResult second = call(SET_SETPOINT, "setpointDouble20", 7); // an Integer becomes a Double

        assertEquals(Outcome.DONE, first.outcome(), first.reason());
        assertEquals("sim", first.connectionId());
        assertEquals(SET_SETPOINT, first.method());
        assertEquals(List.of(0.0), first.outputs());
        assertEquals(Outcome.DONE, second.outcome(), second.reason());
        assertEquals(List.of(42.5), second.outputs());
        assertEquals(7.0, read("sp"));
    }

    @Test
    void argumentsThatDoNotFitTheSignatureAreRefusedWithoutACall() throws Exception {
        long writes = simulator.status().writes();

        CallResult tooFew = call(SET_SETPOINT, "setpointDouble20");
        CallResult tooMany = call(SET_SETPOINT, "setpointDouble20", 1.0, 2.0);
        CallResult notANumber = call(SET_SETPOINT, "setpointDouble20", "high");
        CallResult list = call(SET_SETPOINT, "setpointDouble20", List.of(1.0, 2.0));

        assertEquals(Outcome.REFUSED, tooFew.outcome());
        assertEquals(SET_SETPOINT + " takes 2 arguments (name: String, value: Double), got 1", tooFew.reason());
        assertEquals(Outcome.REFUSED, tooMany.outcome());
        assertTrue(tooMany.reason().contains("got 3"), tooMany.reason());
        assertEquals(Outcome.REFUSED, notANumber.outcome());
        assertEquals(SET_SETPOINT + ": argument 2 (value: Double): 'high' is not a number", notANumber.reason());
        assertEquals(Outcome.REFUSED, list.outcome());
        assertTrue(list.reason().contains("argument 2 (value: Double): takes a single value"), list.reason());
        assertTrue(tooFew.outputs().isEmpty());
        assertEquals(writes, simulator.status().writes());
    }

    @Test
    void theServerRefusingTheCallIsAFailureWithItsStatus() throws Exception {
        CallResult readOnly = call(SET_SETPOINT, "rampInt1602", 1);
        CallResult outOfRange = call(SET_SETPOINT, "setpointUInt1618", 70_000);

        assertEquals(Outcome.FAILED, readOnly.outcome());
        assertEquals("Bad_InvalidArgument", readOnly.reason());
        assertEquals(Outcome.FAILED, outOfRange.outcome());
        assertEquals("Bad_OutOfRange", outOfRange.reason());
    }

    @Test
    void unknownMethodsAndObjectsAreNamed() throws Exception {
        CallResult unknownMethod = call(NS + "Machine/Explode");
        CallResult notANodeId = call("::");
        CallResult unknownConnection = registry.call("nosuch", MACHINE, RESET_COUNTERS, List.of())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        CallResult unknownObject = registry.call("sim", NS + "Nowhere", RESET_COUNTERS, List.of())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertEquals(Outcome.REFUSED, unknownMethod.outcome());
        assertTrue(unknownMethod.reason().contains("Bad_NodeIdUnknown"), unknownMethod.reason());
        assertEquals(Outcome.REFUSED, notANodeId.outcome());
        assertEquals("'::' is not a node id", notANodeId.reason());
        assertEquals(Outcome.REFUSED, unknownConnection.outcome());
        assertEquals(Outcome.FAILED, unknownObject.outcome());
        assertTrue(unknownObject.reason().startsWith("Bad_"), unknownObject.reason());
    }

    @Test
    void resetCountersRestartsTheCounter() throws Exception {
        await().atMost(WAIT).until(() -> ((Long) read("counter")) >= 10);

        CallResult reset = call(RESET_COUNTERS);

        assertEquals(Outcome.DONE, reset.outcome(), reset.reason());
        assertEquals(List.of(), reset.outputs());
        // 100 ms per update: without the reset the counter would still be at 10 or more
        long after = (Long) read("counter");
        assertTrue(after < 8, "counter after reset: " + after);
        assertFalse(call(RESET_COUNTERS, "extra").outcome() == Outcome.DONE);
    }

    @Test
    void aConnectionWithoutMethodsIsRefusedByTheRegistry() throws Exception {
        Connector plain = new TestMachine("plain", List.of());
        core.add(plain);

        assertFalse(plain.canCall());
        CallResult r = registry.call("plain", MACHINE, RESET_COUNTERS, List.of()).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertEquals(Outcome.REFUSED, r.outcome());
        assertEquals("test connections cannot call methods", r.reason());
    }

    @Test
    void arrayArgumentsTakeListsArraysOrCommaSeparatedText() {
        List<Argument> declared = List.of(
                new Argument("speeds", Identifiers.Int32, ValueRanks.OneDimension, null, LocalizedText.NULL_VALUE),
                new Argument("on", Identifiers.Boolean, ValueRanks.Scalar, null, LocalizedText.NULL_VALUE));

        Variant[] fromText = MethodCaller.callInputs("m", declared, List.of("1,2,3", "true"));
        Variant[] fromList = MethodCaller.callInputs("m", declared, List.of(List.of(4L, 5L), 0));
        Variant[] fromArray = MethodCaller.callInputs("m", declared, List.of(new long[] {6}, "false"));

        assertArrayEquals(new Integer[] {1, 2, 3}, (Integer[]) fromText[0].getValue());
        assertEquals(true, fromText[1].getValue());
        assertArrayEquals(new Integer[] {4, 5}, (Integer[]) fromList[0].getValue());
        assertEquals(false, fromList[1].getValue());
        assertArrayEquals(new Integer[] {6}, (Integer[]) fromArray[0].getValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodCaller.callInputs("m", declared, List.of("1,x", true)));
        assertEquals("m: argument 1 (speeds: Int32): 'x' is not a whole number", e.getMessage());
        assertEquals("(speeds: Int32[], on: Boolean)", MethodCaller.signature(declared));
    }
}
