package org.fogwerk.api.connector;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every machine connection running in the node, and the one way to read, write, browse and
 * call methods on them. Writes are checked against the tag definition (access, type, min/max) before they go
 * to the machine.
 */
@ProviderType
public interface ConnectorRegistry {

    /** All connections, sorted by id. */
    List<ConnectorInfo> connectors();

    Optional<ConnectorInfo> connector(String id);

    /** The configured tags of a connection, or an empty list for an unknown id. */
    List<TagDefinition> tags(String id);

    /** One configured tag of a connection by name; empty for an unknown id or tag. */
    default Optional<TagDefinition> tag(String id, String name) {
        for (TagDefinition d : tags(id)) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Reads a tag now, outside its subscription or poll cycle. Fails for an unknown id or tag. */
    CompletionStage<TagValue> read(String id, String tag);

    /** Writes a tag; never fails exceptionally: the result says what happened. */
    CompletionStage<WriteResult> write(String id, String tag, Object value);

    /** Lists the children of a node ({@code null} for the root) on protocols that can browse. */
    CompletionStage<List<BrowseNode>> browse(String id, String nodeId);

    /**
     * Calls a method on a machine, on protocols that have methods (OPC UA). The connector
     * converts each argument to the type the method declares. Never fails exceptionally: the
     * result says what happened; REFUSED for an unknown connection, a protocol without methods
     * or arguments that do not fit.
     *
     * @param id        the connection
     * @param objectId  the object the method belongs to, in the protocol's notation (an OPC UA
     *                  node id such as {@code nsu=urn:example;s=Machine})
     * @param methodId  the method, in the same notation
     * @param arguments the input arguments in order, as Java values or text
     * @since 1.1
     */
    CompletionStage<CallResult> call(String id, String objectId, String methodId, List<Object> arguments);
}
