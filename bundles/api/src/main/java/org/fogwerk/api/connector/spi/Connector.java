package org.fogwerk.api.connector.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A connection to one machine or bus, implemented by a protocol bundle and registered as an
 * OSGi service, one instance per configured connection. The node's core tracks these services.
 *
 * <p>A connector connects on its own, asynchronously, as soon as it is activated, and keeps
 * reconnecting with back-off; nothing here blocks on the network. Values go to the
 * {@link TagSink} the connector was given, never to anyone else.
 */
@ConsumerType
public interface Connector {

    /** Service property carrying the connection id, so that consumers can filter. */
    String ID_PROPERTY = "fogwerk.connection";

    /** Service property carrying the protocol name. */
    String PROTOCOL_PROPERTY = "fogwerk.protocol";

    /**
     * What a connection id may be made of: the characters of a thing name, because a connection
     * that no thing configuration mentions becomes a thing of the same name. {@link #checkId}
     * applies it, through {@link ConfigurationNames#checkName}.
     */
    String ID_PATTERN = "[a-zA-Z0-9:_-]{1,128}";

    /** Why an id cannot name a connection, or {@code null} when it can. */
    static String checkId(String id) {
        return ConfigurationNames.checkName(id, 128);
    }

    /** The connection id, unique in the node: the instance name of its configuration. */
    String id();

    /** The protocol's short name: {@code opcua}, {@code modbus}. */
    String protocol();

    ConnectorStatus status();

    /** The tags this connection reads, as configured. */
    List<TagDefinition> tags();

    /** Reads one tag now. Completes exceptionally when the tag is unknown or the machine fails. */
    CompletionStage<TagValue> read(String tag);

    /**
     * Writes a value already checked and converted by {@link TagDefinition#checkWrite(Object)}.
     * Completes with a result in every case, exceptionally never.
     */
    CompletionStage<WriteResult> write(String tag, Object value);

    /** Whether {@link #browse(String)} is supported. */
    default boolean canBrowse() {
        return false;
    }

    /** Lists the children of a node; {@code null} means the protocol's root. */
    default CompletionStage<List<BrowseNode>> browse(String nodeId) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException(protocol() + " connections cannot be browsed"));
    }

    /** Whether {@link #call(String, String, List)} is supported. */
    default boolean canCall() {
        return false;
    }

    /**
     * Calls a method of an object on the machine, converting each argument to the type the
     * method declares. Completes with a result in every case, exceptionally never: REFUSED when
     * the call cannot be made (no methods on this protocol, wrong number or type of arguments),
     * FAILED when the machine or the network failed.
     *
     * @param objectId  the object the method belongs to, in the protocol's notation
     * @param methodId  the method
     * @param arguments the input arguments in order, as Java values or text
     * @since 1.1
     */
    default CompletionStage<CallResult> call(String objectId, String methodId, List<Object> arguments) {
        return CompletableFuture.completedFuture(
                CallResult.refused(id(), methodId, protocol() + " connections cannot call methods"));
    }
}
