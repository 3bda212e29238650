package org.fogwerk.simulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.api.services.AttributeServices;
import org.eclipse.milo.opcua.sdk.server.model.nodes.variables.AnalogItemTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.AttributeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.fogwerk.api.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Namespace {@code urn:fogwerk:simulator}: a folder {@code Machine} under Objects with one
 * variable per tag, string node id = tag name. Numbers are AnalogItems whose EURange is the
 * pattern's range; booleans and strings are plain variables. Set points are readable and
 * writable, everything else read-only; a value a client writes counts.
 *
 * <p>The folder also has two methods (HasComponent), with InputArguments and OutputArguments
 * properties so that clients can discover their signatures:
 * <ul>
 * <li>{@code Machine/ResetCounters()}: every counter tag restarts from 0 at once.</li>
 * <li>{@code Machine/SetSetpoint(name: String, value: Double) -> previous: Double}: writes a
 *     numeric or Boolean set point (a value set this way counts as a write) and returns the
 *     value it had. An unknown, read-only or String tag is Bad_InvalidArgument, a value the
 *     tag's type cannot hold (a fraction for an integer, 2 for a Boolean, 70000 for a UInt16)
 *     Bad_OutOfRange.</li>
 * </ul>
 */
final class SimulatorNamespace extends ManagedNamespaceWithLifecycle implements MachineMethods.Machine {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorNamespace.class);
    private static final UByte READ_ONLY = AccessLevel.toValue(AccessLevel.CurrentRead);
    private static final UByte READ_WRITE = AccessLevel.toValue(AccessLevel.CurrentRead, AccessLevel.CurrentWrite);
    private static final UaType TEXT = new UaType(Identifiers.String, value -> value);
    private static final Map<DataType, UaType> UA_TYPES = Map.of(
            DataType.BOOLEAN, new UaType(Identifiers.Boolean, value -> value),
            DataType.INT16, new UaType(Identifiers.Int16, value -> (short) ((Long) value).longValue()),
            DataType.INT32, new UaType(Identifiers.Int32, value -> (int) ((Long) value).longValue()),
            DataType.UINT16, new UaType(Identifiers.UInt16, value -> Unsigned.ushort((int) ((Long) value).longValue())),
            DataType.FLOAT, new UaType(Identifiers.Float, value -> (float) ((Double) value).doubleValue()),
            DataType.DOUBLE, new UaType(Identifiers.Double, value -> value),
            DataType.STRING, TEXT);

    /**
     * How a tag type is served over OPC UA.
     *
     * @param dataType the DataType attribute of the tag's variable
     * @param value    turns a catalog value into the Java type Milo encodes as that built-in type
     */
    private record UaType(NodeId dataType, UnaryOperator<Object> value) {
    }

    private final SubscriptionModel subscriptionModel;
    private final List<CatalogTag> catalog;
    private final Runnable onWrite;
    private final Runnable resetCounters;
    private final UaVariableNode[] nodes;

    /**
     * @param resetCounters restarts the counters, throws IllegalStateException when it cannot
     */
    SimulatorNamespace(OpcUaServer server, List<CatalogTag> catalog, List<Object> initialValues, Runnable onWrite,
            Runnable resetCounters) {
        super(server, OpcUaMachine.NAMESPACE_URI);
        this.catalog = catalog;
        this.onWrite = onWrite;
        this.resetCounters = resetCounters;
        this.nodes = new UaVariableNode[catalog.size()];
        this.subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(() -> addNodes(initialValues));
    }

    private void addNodes(List<Object> initialValues) {
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Machine"), newQualifiedName("Machine"),
                LocalizedText.english("Machine"));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(folder.getNodeId(), Identifiers.Organizes,
                Identifiers.ObjectsFolder.expanded(), false));

        for (CatalogTag tag : catalog) {
            UaVariableNode node = tag.type().isNumeric() ? analogItem(tag) : plainVariable(tag);
            node.setAccessLevel(tag.writable() ? READ_WRITE : READ_ONLY);
            node.setUserAccessLevel(tag.writable() ? READ_WRITE : READ_ONLY);
            node.setValue(new DataValue(variant(tag.type(), initialValues.get(tag.index()))));
            getNodeManager().addNode(node);
            folder.addOrganizes(node);
            nodes[tag.index()] = node;
        }

        UaMethodNode reset = method(folder, "ResetCounters", "Restarts every counter tag from 0.");
        reset.setInvocationHandler(new MachineMethods.ResetCounters(reset, this));
        UaMethodNode setSetpoint = method(folder, "SetSetpoint",
                "Writes a numeric or Boolean set point and returns the value it had.");
        MachineMethods.SetSetpoint handler = new MachineMethods.SetSetpoint(setSetpoint, this);
        setSetpoint.setInputArguments(handler.getInputArguments());
        setSetpoint.setOutputArguments(handler.getOutputArguments());
        setSetpoint.setInvocationHandler(handler);
    }

    /** A method of the Machine folder, node id {@code Machine/<name>}. */
    private UaMethodNode method(UaFolderNode folder, String name, String description) {
        UaMethodNode node = UaMethodNode.builder(getNodeContext())
                .setNodeId(newNodeId("Machine/" + name))
                .setBrowseName(newQualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDescription(LocalizedText.english(description))
                .build();
        getNodeManager().addNode(node);
        folder.addComponent(node);
        return node;
    }

    @Override
    public void resetCounters() throws UaException {
        try {
            resetCounters.run();
        } catch (IllegalStateException e) {
            throw new UaException(StatusCodes.Bad_InvalidState, e.getMessage());
        }
    }

    @Override
    public double setSetpoint(String name, double value) throws UaException {
        CatalogTag tag = catalog.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new UaException(StatusCodes.Bad_InvalidArgument, "no tag named " + name));
        if (!tag.writable()) {
            throw new UaException(StatusCodes.Bad_InvalidArgument, name + " is read-only");
        }
        if (tag.type() == DataType.STRING) {
            throw new UaException(StatusCodes.Bad_InvalidArgument, name + " holds text, not a number");
        }
        Object javaValue = setpointValue(tag.type(), value);
        UaVariableNode node = nodes[tag.index()];
        double previous;
        synchronized (node) {
            Object before = node.getValue().getValue().getValue();
            previous = before instanceof Boolean ? ((Boolean) before ? 1 : 0)
                    : before instanceof Number ? ((Number) before).doubleValue() : Double.NaN;
            node.setValue(new DataValue(variant(tag.type(), javaValue)));
        }
        onWrite.run();
        LOG.debug("SetSetpoint {} = {} (was {})", name, value, previous);
        return previous;
    }

    /** A method's number as the catalog value of a set point, or Bad_OutOfRange. */
    private static Object setpointValue(DataType type, double value) throws UaException {
        if (type == DataType.BOOLEAN) {
            if (value != 0 && value != 1) {
                throw new UaException(StatusCodes.Bad_OutOfRange, value + " is not 0 or 1");
            }
            return value == 1;
        }
        double[] range = ValueGenerator.range(Pattern.SETPOINT, type);
        if (Double.isNaN(value) || value < range[0] || value > range[1]) {
            throw new UaException(StatusCodes.Bad_OutOfRange, value + " is outside the range of " + type);
        }
        if (type == DataType.FLOAT || type == DataType.DOUBLE) {
            return value;
        }
        if (value != Math.rint(value)) {
            throw new UaException(StatusCodes.Bad_OutOfRange, value + " is not a whole number");
        }
        return (long) value;
    }

    private AnalogItemTypeNode analogItem(CatalogTag tag) {
        AnalogItemTypeNode node;
        try {
            node = (AnalogItemTypeNode) getNodeFactory().createNode(newNodeId(tag.name()), Identifiers.AnalogItemType,
                    new NodeFactory.InstantiationCallback() {
                        @Override
                        public boolean includeOptionalNode(NodeId typeDefinitionId, QualifiedName browseName) {
                            return false;
                        }
                    });
        } catch (UaException e) {
            throw new IllegalStateException("cannot create AnalogItem " + tag.name(), e);
        }
        node.setBrowseName(newQualifiedName(tag.name()));
        node.setDisplayName(LocalizedText.english(tag.name()));
        node.setDataType(dataTypeId(tag.type()));
        double[] range = ValueGenerator.range(tag.pattern(), tag.type());
        node.setEURange(new Range(range[0], range[1]));
        return node;
    }

    private UaVariableNode plainVariable(CatalogTag tag) {
        return new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId(tag.name()))
                .setBrowseName(newQualifiedName(tag.name()))
                .setDisplayName(LocalizedText.english(tag.name()))
                .setDataType(dataTypeId(tag.type()))
                .setTypeDefinition(Identifiers.BaseDataVariableType)
                .build();
    }

    /**
     * Writes like Milo's own, but a refused write is the client's business: it gets the status
     * code, and the log only a DEBUG line instead of an ERROR with a stack trace. A value written
     * counts.
     */
    @Override
    public void write(AttributeServices.WriteContext context, List<WriteValue> writeValues) {
        List<StatusCode> results = new ArrayList<>(writeValues.size());
        for (WriteValue writeValue : writeValues) {
            UaNode node = getNodeManager().get(writeValue.getNodeId());
            if (node == null) {
                results.add(new StatusCode(StatusCodes.Bad_NodeIdUnknown));
                continue;
            }
            try {
                node.writeAttribute(new AttributeContext(context), writeValue.getAttributeId(), writeValue.getValue(),
                        writeValue.getIndexRange());
                results.add(StatusCode.GOOD);
                if (AttributeId.Value.isEqual(writeValue.getAttributeId())) {
                    onWrite.run();
                }
            } catch (UaException e) {
                LOG.debug("refused write to {}: {}", writeValue.getNodeId(), e.getStatusCode());
                results.add(e.getStatusCode());
            }
        }
        context.success(results);
    }

    void publish(CatalogTag tag, Object value) {
        nodes[tag.index()].setValue(new DataValue(variant(tag.type(), value)));
    }

    static NodeId dataTypeId(DataType type) {
        return uaType(type).dataType();
    }

    /** A catalog value as the OPC UA built-in type of the tag. */
    static Variant variant(DataType type, Object value) {
        return new Variant(uaType(type).value().apply(value));
    }

    private static UaType uaType(DataType type) {
        return UA_TYPES.getOrDefault(type, TEXT);
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
