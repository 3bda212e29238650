package org.fogwerk.simulator.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.fogwerk.api.DataType;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One simulator for the whole class (a Milo server takes a moment to start): 21 tags, so the
 * 14 read-only ones hold every type twice and the 7 set points hold every type once.
 */
class OpcUaSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Map<DataType, NodeId> OPC_UA_TYPES = Map.of(DataType.BOOLEAN, Identifiers.Boolean,
            DataType.INT16, Identifiers.Int16, DataType.INT32, Identifiers.Int32, DataType.UINT16, Identifiers.UInt16,
            DataType.FLOAT, Identifiers.Float, DataType.DOUBLE, Identifiers.Double, DataType.STRING,
            Identifiers.String);
    private static final Map<DataType, Class<?>> JAVA_TYPES = Map.of(DataType.BOOLEAN, Boolean.class,
            DataType.INT16, Short.class, DataType.INT32, Integer.class, DataType.UINT16, UShort.class,
            DataType.FLOAT, Float.class, DataType.DOUBLE, Double.class, DataType.STRING, String.class);

    private static int port;
    private static OpcUaSimulator simulator;
    private static OpcUaClient client;

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.next();
        simulator = OpcUaClients.runSimulator(port, 100);
        client = OpcUaClients.connect(port);
    }

    @AfterAll
    static void stop() throws Exception {
        OpcUaClients.stop(client, simulator);
    }

    @Test
    void statusDescribesTheRunningServer() {
        SimulatorStatus status = simulator.status();

        assertEquals("opcua", status.protocol());
        assertTrue(status.running());
        assertEquals("opc.tcp://127.0.0.1:" + port + "/fogwerk", status.endpoint());
        assertEquals(21, status.tagCount());
        assertEquals(100, status.updateInterval());
        assertEquals("", status.error());
        assertEquals("nsu=urn:fogwerk:simulator;s=sineBoolean01", simulator.tags().get(0).address());
        assertEquals("setpointString21", simulator.tags().get(20).name());
    }

    @Test
    void machineFolderUnderObjectsHoldsEveryTag() throws Exception {
        List<ReferenceDescription> objects = client.getAddressSpace().browse(Identifiers.ObjectsFolder);
        ReferenceDescription machine = objects.stream()
                .filter(r -> r.getBrowseName().getName().equals("Machine")).findFirst().orElseThrow();
        NodeId folder = machine.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();

        List<String> names = client.getAddressSpace().browse(folder).stream()
                .filter(r -> r.getNodeClass() == NodeClass.Variable)
                .map(r -> r.getBrowseName().getName()).collect(Collectors.toList());

        assertEquals(simulator.tags().stream().map(SimulatedTag::name).collect(Collectors.toList()), names);
    }

    @Test
    void everyTagHasItsOpcUaTypeAndTheGeneratedValue() throws Exception {
        for (SimulatedTag tag : simulator.tags()) {
            NodeId id = nodeId(tag);
            assertEquals(OPC_UA_TYPES.get(tag.dataType()), client.getAddressSpace().getVariableNode(id).getDataType(),
                    tag.name());
        }
        List<SimulatedTag> readOnly = simulator.tags().stream().filter(t -> !t.writable()).collect(Collectors.toList());
        List<NodeId> ids = new ArrayList<>();
        for (SimulatedTag tag : readOnly) {
            ids.add(nodeId(tag));
        }
        // a read may straddle an update: read again until it shows one update's values
        await().atMost(WAIT).untilAsserted(() -> {
            List<DataValue> values = client.readValues(0, TimestampsToReturn.Both, ids).get();
            for (int i = 0; i < readOnly.size(); i++) {
                SimulatedTag tag = readOnly.get(i);
                Object value = values.get(i).getValue().getValue();
                assertInstanceOf(JAVA_TYPES.get(tag.dataType()), value, tag.name());
                assertEquals(simulator.generatedValue(tag.name()), fromOpcUa(value), tag.name());
            }
        });
    }

    @Test
    void valuesChangeOverUpdates() throws Exception {
        NodeId counter = nodeId(tag("counterUInt1604"));
        NodeId sine = nodeId(tag("sineDouble06"));
        Object firstCounter = client.readValue(0, TimestampsToReturn.Both, counter).get().getValue().getValue();
        Object firstSine = client.readValue(0, TimestampsToReturn.Both, sine).get().getValue().getValue();
        long updates = simulator.status().updates();

        await().atMost(WAIT).until(() -> simulator.status().updates() >= updates + 3);

        assertNotEquals(firstCounter, client.readValue(0, TimestampsToReturn.Both, counter).get().getValue().getValue());
        assertNotEquals(firstSine, client.readValue(0, TimestampsToReturn.Both, sine).get().getValue().getValue());
    }

    @Test
    void subscribersReceiveTheChanges() throws Exception {
        UaSubscription subscription = client.getSubscriptionManager().createSubscription(100.0).get();
        Set<Object> received = ConcurrentHashMap.newKeySet();
        try {
            MonitoredItemCreateRequest request = new MonitoredItemCreateRequest(
                    new ReadValueId(nodeId(tag("counterInt1609")), AttributeId.Value.uid(), null,
                            QualifiedName.NULL_VALUE),
                    MonitoringMode.Reporting,
                    new MonitoringParameters(Unsigned.uint(1), 100.0, null, Unsigned.uint(10), true));
            subscription.createMonitoredItems(TimestampsToReturn.Both, List.of(request),
                    (item, index) -> item.setValueConsumer(value -> received.add(value.getValue().getValue()))).get();

            await().atMost(WAIT).until(() -> received.size() >= 3);
        } finally {
            client.getSubscriptionManager().deleteSubscription(subscription.getSubscriptionId()).get();
        }
    }

    @Test
    void setPointsKeepWhatIsWrittenAndCountWrites() throws Exception {
        Map<String, Variant> writes = Map.of(
                "setpointBoolean15", new Variant(true),
                "setpointInt1616", new Variant((short) -1234),
                "setpointInt3217", new Variant(123_456_789),
                "setpointUInt1618", new Variant(Unsigned.ushort(65_000)),
                "setpointFloat19", new Variant(12.5f),
                "setpointDouble20", new Variant(-3.25),
                "setpointString21", new Variant("hello"));
        long before = simulator.status().writes();

        for (Map.Entry<String, Variant> write : writes.entrySet()) {
            NodeId id = nodeId(tag(write.getKey()));
            StatusCode status = client.writeValue(id, DataValue.valueOnly(write.getValue())).get();
            assertTrue(status.isGood(), write.getKey() + ": " + status);
            assertEquals(write.getValue().getValue(),
                    client.readValue(0, TimestampsToReturn.Both, id).get().getValue().getValue(), write.getKey());
        }

        assertEquals(before + writes.size(), simulator.status().writes());
    }

    @Test
    void writesToReadOnlyTagsOrOfTheWrongTypeAreRefused() throws Exception {
        long before = simulator.status().writes();

        StatusCode readOnly = client.writeValue(nodeId(tag("rampInt1602")),
                DataValue.valueOnly(new Variant((short) 5))).get();
        StatusCode wrongType = client.writeValue(nodeId(tag("setpointInt3217")),
                DataValue.valueOnly(new Variant("five"))).get();

        assertEquals(StatusCodes.Bad_NotWritable, readOnly.getValue(), readOnly.toString());
        assertFalse(wrongType.isGood(), wrongType.toString());
        assertEquals(before, simulator.status().writes());
    }

    private static SimulatedTag tag(String name) {
        return simulator.tags().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static NodeId nodeId(SimulatedTag tag) {
        return ExpandedNodeId.parse(tag.address()).toNodeId(client.getNamespaceTable()).orElseThrow();
    }

    /** An OPC UA value in the catalog's Java types. */
    private static Object fromOpcUa(Object value) {
        if (value instanceof Short || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof UShort) {
            return ((UShort) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        return value;
    }
}
