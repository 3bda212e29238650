package org.fogwerk.connector.opcua.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;

/** Node ids as users write them, and single reads and writes of a node's value through a client. */
final class NodeAccess {

    private NodeAccess() {
    }

    /** The node id of {@code ns=..;} or {@code nsu=..;} text in the server's namespace table, if it is there. */
    static Optional<NodeId> resolve(String text, NamespaceTable ns) {
        ExpandedNodeId x = ExpandedNodeId.parseOrNull(text);
        if (x == null) {
            return Optional.empty();
        }
        return x.toNodeId(ns);
    }

    /** Like {@link #resolve}, reading the namespace table again for a namespace URI; fails with IllegalArgumentException. */
    static CompletableFuture<NodeId> nodeIdOf(OpcUaClient c, String text) {
        ExpandedNodeId x = ExpandedNodeId.parseOrNull(text == null ? "" : text.trim());
        if (x == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + text + "' is not a node id"));
        }
        if (x.isLocal()) {
            return x.toNodeId(c.getNamespaceTable()).map(CompletableFuture::completedFuture)
                    .orElseGet(() -> CompletableFuture.failedFuture(new IllegalArgumentException("'" + text
                            + "': namespace not on the server")));
        }
        return c.readNamespaceTableAsync().thenApply(ns -> x.toNodeId(ns).orElseThrow(
                () -> new IllegalArgumentException("'" + text + "': namespace not on the server")));
    }

    static CompletableFuture<DataValue> read(OpcUaClient c, String nodeId) {
        return nodeIdOf(c, nodeId).thenCompose(n -> c.readValue(0.0, TimestampsToReturn.Both, n));
    }

    /** Writes a node, converting the value to the node's data type (read when not known). */
    static CompletableFuture<StatusCode> write(OpcUaClient c, String nodeIdText, Object value, NodeId knownType) {
        return nodeIdOf(c, nodeIdText).thenCompose(n -> {
            CompletableFuture<NodeId> type = knownType != null ? CompletableFuture.completedFuture(knownType)
                    : c.read(0.0, TimestampsToReturn.Neither, List.of(new ReadValueId(n, AttributeId.DataType.uid(),
                            null, QualifiedName.NULL_VALUE))).thenApply(r -> {
                                DataValue dv = r.getResults()[0];
                                Object v = dv.getValue().getValue();
                                if (!(v instanceof NodeId)) {
                                    throw new IllegalArgumentException("node " + nodeIdText + " has no data type ("
                                            + ValueMapper.statusName(dv.getStatusCode()) + ")");
                                }
                                return (NodeId) v;
                            });
            return type.thenCompose(typeId -> {
                Variant variant = ValueMapper.toVariant(value, typeId);
                return c.write(List.of(new WriteValue(n, AttributeId.Value.uid(), null, DataValue.valueOnly(variant))))
                        .thenApply(r -> r.getResults()[0]);
            });
        });
    }
}
