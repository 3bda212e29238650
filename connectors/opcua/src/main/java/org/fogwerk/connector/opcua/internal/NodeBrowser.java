package org.fogwerk.connector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.fogwerk.api.connector.BrowseNode;

/** Lists the objects, variables and methods below a node, with each variable's data type and access. */
final class NodeBrowser {

    private NodeBrowser() {
    }

    /** The children of {@code nodeId}; of the Objects folder when it is blank. */
    static CompletableFuture<List<BrowseNode>> browse(OpcUaClient c, String nodeId) {
        return (nodeId == null || nodeId.isBlank() ? CompletableFuture.completedFuture(Identifiers.ObjectsFolder)
                : NodeAccess.nodeIdOf(c, nodeId)).thenCompose(n -> browseAll(c, n));
    }

    private static CompletableFuture<List<BrowseNode>> browseAll(OpcUaClient c, NodeId parent) {
        BrowseDescription bd = new BrowseDescription(parent, BrowseDirection.Forward,
                Identifiers.HierarchicalReferences, true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue() | NodeClass.Method.getValue()),
                uint(BrowseResultMask.All.getValue()));
        return browseFirst(c, bd, "cannot browse " + parent.toParseableString()).thenCompose(result -> {
            List<ReferenceDescription> refs = new ArrayList<>(result.getReferences() == null ? List.of()
                    : Arrays.asList(result.getReferences()));
            return browseNext(c, result.getContinuationPoint(), refs);
        }).thenCompose(refs -> describeNodes(c, refs));
    }

    /**
     * The first page of references a browse finds; fails with an IllegalArgumentException,
     * {@code failure} and the status, when the server refuses the browse.
     */
    static CompletableFuture<BrowseResult> browseFirst(OpcUaClient c, BrowseDescription bd, String failure) {
        ViewDescription view = new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));
        return c.browse(view, uint(0), List.of(bd)).thenApply(resp -> {
            BrowseResult result = resp.getResults()[0];
            if (result.getStatusCode().isBad()) {
                throw new IllegalArgumentException(failure + ": " + ValueMapper.statusName(result.getStatusCode()));
            }
            return result;
        });
    }

    private static CompletableFuture<List<ReferenceDescription>> browseNext(OpcUaClient c, ByteString cp,
            List<ReferenceDescription> acc) {
        if (cp == null || cp.isNull() || cp.length() == 0) {
            return CompletableFuture.completedFuture(acc);
        }
        return c.browseNext(false, List.of(cp)).thenCompose(resp -> {
            BrowseResult r = resp.getResults()[0];
            if (r.getReferences() != null) {
                acc.addAll(Arrays.asList(r.getReferences()));
            }
            return browseNext(c, r.getContinuationPoint(), acc);
        });
    }

    private static CompletableFuture<List<BrowseNode>> describeNodes(OpcUaClient c, List<ReferenceDescription> refs) {
        NamespaceTable ns = c.getNamespaceTable();
        List<ReadValueId> reads = new ArrayList<>();
        Map<Integer, Integer> readIndex = new HashMap<>();
        for (int i = 0; i < refs.size(); i++) {
            NodeId n = refs.get(i).getNodeId().toNodeId(ns).orElse(null);
            if (n != null && refs.get(i).getNodeClass() == NodeClass.Variable) {
                readIndex.put(i, reads.size());
                reads.add(new ReadValueId(n, AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
                reads.add(new ReadValueId(n, AttributeId.UserAccessLevel.uid(), null, QualifiedName.NULL_VALUE));
            }
        }
        CompletableFuture<DataValue[]> attrs = reads.isEmpty() ? CompletableFuture.completedFuture(new DataValue[0])
                : c.read(0.0, TimestampsToReturn.Neither, reads).thenApply(r -> r.getResults());
        return attrs.thenApply(values -> {
            List<BrowseNode> out = new ArrayList<>(refs.size());
            for (int i = 0; i < refs.size(); i++) {
                ReferenceDescription r = refs.get(i);
                String nodeId = nodeIdText(r.getNodeId(), ns);
                String dataType = "";
                String access = "";
                Integer ri = readIndex.get(i);
                if (ri != null) {
                    Object t = values[ri].getValue().getValue();
                    if (t instanceof NodeId) {
                        dataType = ValueMapper.typeName((NodeId) t);
                    }
                    Object a = values[ri + 1].getValue().getValue();
                    if (a instanceof Number) {
                        int bits = ((Number) a).intValue();
                        access = (bits & 1) != 0 ? ((bits & 2) != 0 ? "rw" : "r") : ((bits & 2) != 0 ? "w" : "");
                    }
                }
                out.add(new BrowseNode(nodeId, r.getBrowseName().toParseableString(), r.getNodeClass().name(),
                        dataType, access, r.getNodeClass() == NodeClass.Object));
            }
            return out;
        });
    }

    /** Node ids outside namespace 0 are shown with their namespace URI, which survives a server restart. */
    static String nodeIdText(ExpandedNodeId x, NamespaceTable ns) {
        Optional<NodeId> n = x.toNodeId(ns);
        if (n.isEmpty()) {
            return x.toParseableString();
        }
        NodeId id = n.get();
        if (id.getNamespaceIndex().intValue() == 0) {
            return id.toParseableString();
        }
        String uri = ns.getUri(id.getNamespaceIndex());
        if (uri == null) {
            return id.toParseableString();
        }
        return "nsu=" + uri + ";" + id.toParseableString().replaceFirst("^ns=\\d+;", "");
    }
}
