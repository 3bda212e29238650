package org.fogwerk.connector.opcua.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.support.connector.TagAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA server connection at run time: validates its settings, keeps a session
 * ({@link SessionKeeper}) with the tags subscribed ({@link TagSubscriptions}), and answers
 * reads, writes, method calls and browsing through the session's Milo client.
 */
public final class OpcUaConnection implements Connector {

    static final String PROTOCOL = "opcua";

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaConnection.class);

    private final String id;
    private final OpcUaSettings settings;
    private final Pki pki;
    private final TagCatalog catalog;
    private final ConnectionStatus status;
    private final TagSubscriptions subscriptions;
    private final MethodCaller methods;
    private final SessionKeeper session;

    /** Builds the connection and starts connecting on its own thread; FAILED with the reason when the settings are bad. */
    public OpcUaConnection(OpcUaConfig config, Map<String, Object> properties, TagSink sink) {
        OpcUaSettings s = null;
        String failure = null;
        try {
            s = OpcUaSettings.read(config, properties);
        } catch (InvalidConfigurationException e) {
            failure = e.getMessage();
        }
        this.settings = s;
        this.id = s != null ? s.id() : fallbackId(properties);
        this.methods = new MethodCaller(id);
        if (s == null) {
            LOG.error("OPC UA connection {} not started: {}", id, failure);
            this.catalog = new TagCatalog(id, List.of());
            this.pki = null;
            this.status = new ConnectionStatus(null, ConnectorState.FAILED, failure);
            this.subscriptions = null;
            this.session = null;
            return;
        }
        this.catalog = new TagCatalog(id, s.tags());
        for (String e : s.tagErrors()) {
            LOG.error("OPC UA connection {}: tag skipped: {}", id, e);
        }
        this.pki = new Pki(s.pkiDir(), s.autoAccept(), id);
        this.status = new ConnectionStatus(s, ConnectorState.CONNECTING, "connecting to " + s.endpointUrl());
        SessionKeeper[] keeper = new SessionKeeper[1];
        this.subscriptions = new TagSubscriptions(id, s, catalog, sink, status, () -> keeper[0].touch());
        this.session = new SessionKeeper(id, s, new ClientFactory(id, s, pki), status, subscriptions,
                methods::forgetArguments);
        keeper[0] = session;
        session.start();
    }

    private static String fallbackId(Map<String, Object> props) {
        Object n = props.get("name");
        return n != null && !n.toString().isBlank() ? n.toString().trim()
                : ConfigurationNames.instanceName(props).orElse("opcua");
    }

    /** Closes the session and stops reconnecting. */
    public void stop() {
        if (session != null) {
            session.stop();
        }
        if (pki != null) {
            pki.close();
        }
        status.set(ConnectorState.DISCONNECTED, "stopped");
    }

    /**
     * Tries to connect again soon if the connection is down (after a certificate was trusted):
     * the trust list is re-read by Milo's watcher, so no restart is needed.
     */
    public void retrySoon() {
        if (session != null) {
            session.retrySoon();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public ConnectorStatus status() {
        return status.current();
    }

    @Override
    public List<TagDefinition> tags() {
        return catalog.definitions();
    }

    long valuesIn() {
        return subscriptions == null ? 0 : subscriptions.valuesIn();
    }

    long lastDataMillis() {
        return subscriptions == null ? 0 : subscriptions.lastDataMillis();
    }

    long keepAliveReads() {
        return session == null ? 0 : session.keepAliveReads();
    }

    OpcUaSettings settings() {
        return settings;
    }

    Pki pki() {
        return pki;
    }

    /** Where this connection keeps its certificate and trust lists. */
    public Path pkiDir() {
        return settings != null ? settings.pkiDir() : OpcUaSettings.defaultPkiDir();
    }

    /** The number of monitored items on the current session (tests check for duplicates). */
    int monitoredItemCount() {
        OpcUaClient c = client();
        return c == null ? 0 : TagSubscriptions.monitoredItems(c);
    }

    /** The client with a session, null while there is none (tests look at its subscriptions). */
    OpcUaClient client() {
        return session == null ? null : session.client();
    }

    private CompletableFuture<OpcUaClient> connected() {
        OpcUaClient c = client();
        if (c == null) {
            ConnectorStatus s = status.current();
            return CompletableFuture.failedFuture(new IllegalStateException("connection " + id + " is not connected ("
                    + s.state() + (s.reason().isEmpty() ? "" : ": " + s.reason()) + ")"));
        }
        return CompletableFuture.completedFuture(c);
    }

    /** Reads the value of any node now, as a value named after the node id. */
    public CompletableFuture<TagValue> readNodeValue(String nodeId) {
        return readNode(nodeId).thenApply(dv -> ValueMapper.toTagValue(id, nodeId, dv, System.currentTimeMillis()));
    }

    /** Reads the value of any node now. */
    CompletableFuture<DataValue> readNode(String nodeId) {
        return connected().thenCompose(c -> NodeAccess.read(c, nodeId));
    }

    @Override
    public CompletionStage<TagValue> read(String tag) {
        OpcUaTag t = catalog.tag(tag);
        if (t == null) {
            return TagAnswers.unknownTag(id, tag);
        }
        return readNode(t.nodeId()).thenApply(dv -> ValueMapper.toTagValue(id, tag, dv, System.currentTimeMillis()));
    }

    /** Writes any node, converting the value to the node's data type (read when not known). */
    CompletableFuture<StatusCode> writeNode(String nodeIdText, Object value, NodeId knownType) {
        return connected().thenCompose(c -> NodeAccess.write(c, nodeIdText, value, knownType));
    }

    @Override
    public CompletionStage<WriteResult> write(String tag, Object value) {
        OpcUaTag t = catalog.tag(tag);
        if (t == null) {
            return TagAnswers.unknownTagRefused(id, tag);
        }
        if (!t.definition().writable()) {
            return TagAnswers.readOnlyRefused(id, tag);
        }
        String shape = catalog.notWritable(tag);
        if (shape != null) {
            return CompletableFuture.completedFuture(WriteResult.refused(id, tag, shape));
        }
        return writeNode(t.nodeId(), value, catalog.nodeType(tag)).handle((result, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return cause instanceof IllegalArgumentException
                        ? WriteResult.refused(id, tag, "tag " + tag + ": " + cause.getMessage())
                        : WriteResult.failed(id, tag, UaErrors.describe(cause) + (UaErrors.timedOut(cause)
                                ? " (no answer in time: the server may have carried the write out; read the tag)" : ""));
            }
            return result.isGood() ? WriteResult.done(id, tag)
                    : WriteResult.failed(id, tag, ValueMapper.statusName(result));
        });
    }

    @Override
    public boolean canCall() {
        return true;
    }

    /** See {@link MethodCaller}: arguments that do not fit are REFUSED, a bad status from the server FAILED. */
    @Override
    public CompletionStage<CallResult> call(String objectId, String methodId, List<Object> arguments) {
        return methods.call(connected(), objectId, methodId, arguments);
    }

    @Override
    public boolean canBrowse() {
        return true;
    }

    @Override
    public CompletionStage<List<BrowseNode>> browse(String nodeId) {
        return connected().thenCompose(c -> NodeBrowser.browse(c, nodeId));
    }
}
