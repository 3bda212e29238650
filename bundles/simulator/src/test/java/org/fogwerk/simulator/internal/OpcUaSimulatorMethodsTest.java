package org.fogwerk.simulator.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.nodes.UaMethodNode;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The methods of the Machine folder, called with a bare Milo client: 21 tags, 7 set points. */
class OpcUaSimulatorMethodsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static OpcUaSimulator simulator;
    private static OpcUaClient client;
    private static NodeId machine;

    @BeforeAll
    static void start() throws Exception {
        int port = FreePorts.next();
        simulator = OpcUaClients.runSimulator(port, 200);
        client = OpcUaClients.connect(port);
        machine = id("Machine");
    }

    @AfterAll
    static void stop() throws Exception {
        OpcUaClients.stop(client, simulator);
    }

    private static NodeId id(String name) {
        return ExpandedNodeId.parse(OpcUaMachine.nodeId(name)).toNodeId(client.getNamespaceTable()).orElseThrow();
    }

    private static CallMethodResult call(String method, Variant... inputs) throws Exception {
        return client.call(List.of(new CallMethodRequest(machine, id("Machine/" + method), inputs))).get()
                .getResults()[0];
    }

    private static Object value(String tag) throws Exception {
        return client.readValue(0, TimestampsToReturn.Both, id(tag)).get().getValue().getValue();
    }

    @Test
    void theMachineFolderHasBothMethodsWithDiscoverableArguments() throws Exception {
        List<ReferenceDescription> methods = client.getAddressSpace().browse(machine).stream()
                .filter(r -> r.getNodeClass() == NodeClass.Method).collect(Collectors.toList());
        assertEquals(List.of("ResetCounters", "SetSetpoint"),
                methods.stream().map(r -> r.getBrowseName().getName()).sorted().collect(Collectors.toList()));

        UaMethodNode setSetpoint = (UaMethodNode) client.getAddressSpace().getNode(id("Machine/SetSetpoint"));
        Argument[] in = setSetpoint.readInputArgumentsAsync().get();
        Argument[] out = setSetpoint.readOutputArgumentsAsync().get();
        assertEquals(List.of("name", "value"), Arrays.stream(in).map(Argument::getName).collect(Collectors.toList()));
        assertArrayEquals(new NodeId[] {Identifiers.String, Identifiers.Double},
                Arrays.stream(in).map(Argument::getDataType).toArray(NodeId[]::new));
        assertEquals("previous", out[0].getName());
        assertEquals(Identifiers.Double, out[0].getDataType());
    }

    @Test
    void setSetpointWritesTheTagReturnsThePreviousValueAndCountsAWrite() throws Exception {
        long writes = simulator.status().writes();

        CallMethodResult first = call("SetSetpoint", new Variant("setpointInt3217"), new Variant(1234.0));
        CallMethodResult second = call("SetSetpoint", new Variant("setpointInt3217"), new Variant(-5.0));
        CallMethodResult bool = call("SetSetpoint", new Variant("setpointBoolean15"), new Variant(1.0));

        assertTrue(first.getStatusCode().isGood(), first.toString());
        assertEquals(0.0, first.getOutputArguments()[0].getValue());
        assertEquals(1234.0, second.getOutputArguments()[0].getValue());
        assertEquals(-5, value("setpointInt3217"));
        assertTrue(bool.getStatusCode().isGood(), bool.toString());
        assertEquals(true, value("setpointBoolean15"));
        assertEquals(writes + 3, simulator.status().writes());
    }

    @Test
    void setSetpointRefusesUnknownReadOnlyAndTextTagsAndValuesTheTypeCannotHold() throws Exception {
        long writes = simulator.status().writes();

        assertStatus(StatusCodes.Bad_InvalidArgument,
                call("SetSetpoint", new Variant("nosuchtag"), new Variant(1.0)));
        assertStatus(StatusCodes.Bad_InvalidArgument,
                call("SetSetpoint", new Variant("rampInt1602"), new Variant(1.0)));
        assertStatus(StatusCodes.Bad_InvalidArgument,
                call("SetSetpoint", new Variant("setpointString21"), new Variant(1.0)));
        assertStatus(StatusCodes.Bad_OutOfRange, call("SetSetpoint", new Variant("setpointUInt1618"),
                new Variant(70_000.0)));
        assertStatus(StatusCodes.Bad_OutOfRange, call("SetSetpoint", new Variant("setpointInt1616"),
                new Variant(1.5)));
        assertStatus(StatusCodes.Bad_OutOfRange, call("SetSetpoint", new Variant("setpointBoolean15"),
                new Variant(2.0)));
        // Milo checks the declared signature before the method runs
        CallMethodResult wrongType = call("SetSetpoint", new Variant("setpointDouble20"), new Variant("high"));
        assertTrue(wrongType.getStatusCode().isBad(), wrongType.toString());
        assertTrue(wrongType.getInputArgumentResults()[1].isBad(), wrongType.toString());
        assertTrue(call("SetSetpoint", new Variant("setpointDouble20")).getStatusCode().isBad());

        assertEquals(writes, simulator.status().writes());
    }

    @Test
    void resetCountersRestartsEveryCounterFromZero() throws Exception {
        await().atMost(WAIT).until(() -> ((Number) value("counterUInt1604")).intValue() >= 10);

        CallMethodResult result = call("ResetCounters");

        assertTrue(result.getStatusCode().isGood(), result.toString());
        assertEquals(0, result.getOutputArguments() == null ? 0 : result.getOutputArguments().length);
        // 200 ms per update: a counter that had not restarted would still be at 10 or more
        assertTrue(((Number) value("counterUInt1604")).intValue() <= 3, String.valueOf(value("counterUInt1604")));
        assertTrue(((Number) value("counterInt1609")).intValue() <= 3, String.valueOf(value("counterInt1609")));
        assertTrue(((Number) simulator.generatedValue("counterUInt1604")).intValue() <= 3);
        // and they keep counting
        await().atMost(WAIT).until(() -> ((Number) value("counterUInt1604")).intValue() >= 5);
    }

    private static void assertStatus(long expected, CallMethodResult result) {
        assertEquals(new StatusCode(expected), result.getStatusCode(), result.toString());
    }
}
