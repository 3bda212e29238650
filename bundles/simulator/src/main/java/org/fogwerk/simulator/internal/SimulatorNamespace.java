package org.fogwerk.simulator.internal;

import java.util.ArrayList;
import java.util.List;

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
 */
final class SimulatorNamespace extends ManagedNamespaceWithLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorNamespace.class);
    private static final UByte READ_ONLY = AccessLevel.toValue(AccessLevel.CurrentRead);
    private static final UByte READ_WRITE = AccessLevel.toValue(AccessLevel.CurrentRead, AccessLevel.CurrentWrite);

    private final SubscriptionModel subscriptionModel;
    private final List<CatalogTag> catalog;
    private final Runnable onWrite;
    private final UaVariableNode[] nodes;

    SimulatorNamespace(OpcUaServer server, List<CatalogTag> catalog, List<Object> initialValues, Runnable onWrite) {
        super(server, OpcUaMachine.NAMESPACE_URI);
        this.catalog = catalog;
        this.onWrite = onWrite;
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
        switch (type) {
            case BOOLEAN:
                return Identifiers.Boolean;
            case INT16:
                return Identifiers.Int16;
            case INT32:
                return Identifiers.Int32;
            case UINT16:
                return Identifiers.UInt16;
            case FLOAT:
                return Identifiers.Float;
            case DOUBLE:
                return Identifiers.Double;
            default:
                return Identifiers.String;
        }
    }

    /** A catalog value as the OPC UA built-in type of the tag. */
    static Variant variant(DataType type, Object value) {
        switch (type) {
            case INT16:
                return new Variant((short) ((Long) value).longValue());
            case INT32:
                return new Variant((int) ((Long) value).longValue());
            case UINT16:
                return new Variant(Unsigned.ushort((int) ((Long) value).longValue()));
            case FLOAT:
                return new Variant((float) ((Double) value).doubleValue());
            default:
                return new Variant(value);
        }
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
