package org.fogwerk.connector.opcua.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.fogwerk.api.Access;
import org.fogwerk.api.TagDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The configured tags of one connection and the data types the server declares for their nodes. */
final class TagCatalog {

    /** Nodes per Read request. */
    static final int BATCH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(TagCatalog.class);

    private final String id;
    private final Map<String, OpcUaTag> byName;
    private final Map<String, NodeId> nodeTypes = new ConcurrentHashMap<>();
    /** Tags whose node holds an array (ValueRank above 0), with the rank. */
    private final Map<String, Integer> arrays = new ConcurrentHashMap<>();
    private volatile List<TagDefinition> definitions;

    TagCatalog(String id, List<OpcUaTag> tags) {
        this.id = id;
        Map<String, OpcUaTag> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(t.name(), t));
        this.byName = Collections.unmodifiableMap(map);
        this.definitions = tags.stream().map(OpcUaTag::definition).collect(Collectors.toUnmodifiableList());
    }

    OpcUaTag tag(String name) {
        return byName.get(name);
    }

    /** The tags as the bus shows them, with the server's data type once it was read. */
    List<TagDefinition> definitions() {
        return definitions;
    }

    /** Why a write to the tag is refused for its shape, or null: the node holds an array. */
    String notWritable(String tag) {
        Integer rank = arrays.get(tag);
        return rank == null ? null : "tag " + tag + " holds an array (ValueRank " + rank + "): only scalar tags are"
                + " written (a method of the server may set an array)";
    }

    /** The node's data type, null until it was read. */
    NodeId nodeType(String tag) {
        return nodeTypes.get(tag);
    }

    /**
     * Reads the DataType and ValueRank attributes of every node; a part that cannot be read keeps
     * the configured types. A node that holds an array is read-only here.
     */
    void readDataTypes(OpcUaClient c, List<OpcUaTag> tags, List<NodeId> nodeIds, long timeoutMillis) {
        Map<String, TagDefinition> updated = new LinkedHashMap<>();
        definitions.forEach(d -> updated.put(d.name(), d));
        // a large machine has thousands of tags of a handful of types: one NodeId per type
        Map<NodeId, NodeId> types = new HashMap<>();
        for (int from = 0; from < tags.size(); from += BATCH) {
            int to = Math.min(tags.size(), from + BATCH);
            List<ReadValueId> ids = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ids.add(new ReadValueId(nodeIds.get(i), AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
                ids.add(new ReadValueId(nodeIds.get(i), AttributeId.ValueRank.uid(), null, QualifiedName.NULL_VALUE));
            }
            try {
                DataValue[] results = c.read(0.0, TimestampsToReturn.Neither, ids)
                        .get(timeoutMillis, TimeUnit.MILLISECONDS).getResults();
                List<DataValue> values = results == null ? List.of() : Arrays.asList(results);
                for (int i = 0; i + 1 < values.size(); i += 2) {
                    OpcUaTag t = tags.get(from + i / 2);
                    Object v = values.get(i).getValue().getValue();
                    Object rank = values.get(i + 1).getValue().getValue();
                    boolean array = rank instanceof Number && ((Number) rank).intValue() > 0;
                    if (array) {
                        arrays.put(t.name(), ((Number) rank).intValue());
                    } else {
                        arrays.remove(t.name());
                    }
                    if (v instanceof NodeId) {
                        nodeTypes.put(t.name(), types.computeIfAbsent((NodeId) v, type -> type));
                        TagDefinition d = t.definition();
                        Map<String, String> attributes = new HashMap<>(d.attributes());
                        attributes.remove(TagDefinition.TYPE_UNKNOWN);
                        updated.put(t.name(), new TagDefinition(d.name(), d.address(),
                                ValueMapper.dataType((NodeId) v), array ? Access.READ : d.access(), d.unit(),
                                d.description(), d.min(), d.max(), attributes));
                    }
                }
            } catch (Exception e) {
                LOG.debug("OPC UA connection {}: data types not read: {}", id, UaErrors.describe(e));
            }
        }
        definitions = List.copyOf(updated.values());
    }
}
