package org.fogwerk.connector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscriptionManager;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
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
import org.fogwerk.support.log.QuietStart;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OPC UA server connection (Eclipse Milo client). Connects on its own thread with back-off;
 * once a session exists, Milo's session state machine keeps it alive, reconnects and transfers
 * the subscription; when the transfer fails (server restarted) the subscription is created again.
 * Registered as a {@link Connector} service with the connection id as property.
 */
@Component(name = OpcUaSettings.PID, configurationPid = OpcUaSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
@Designate(ocd = OpcUaConfig.class, factory = true)
public final class OpcUaConnector implements Connector {

    static final String PROTOCOL = "opcua";
    /** Monitored items per CreateMonitoredItems request. */
    static final int BATCH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaConnector.class);
    private static final QualifiedName INPUT_ARGUMENTS = new QualifiedName(0, "InputArguments");

    private final String id;
    private final TagSink sink;
    private final OpcUaSettings settings;
    private final ScheduledExecutorService executor;
    private final Pki pki;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong valuesIn = new AtomicLong();
    private final Map<String, OpcUaTag> tagsByName;
    /** Node data types found at connect time, by tag name. */
    private final Map<String, NodeId> nodeTypes = new ConcurrentHashMap<>();
    /** Input argument declarations by method, for the current session (cleared when a session starts). */
    private final Map<NodeId, List<Argument>> inputArgumentCache = new ConcurrentHashMap<>();
    private volatile OpcUaClient inputArgumentOwner;
    private volatile List<TagDefinition> definitions;
    private volatile ConnectorStatus status;
    private final QuietStart quietStart = new QuietStart();
    private volatile OpcUaClient client;
    private volatile UaSubscription subscription;
    /** The tags behind the client handles of the current subscription. */
    private volatile OpcUaTag[] byHandle = new OpcUaTag[0];
    private volatile boolean closed;
    private volatile long lastDataMillis;
    private volatile List<String> badTags = List.of();
    private volatile ScheduledFuture<?> pendingConnect;
    private long backoff;
    private ServiceRegistration<?> registration;

    @Activate
    public OpcUaConnector(OpcUaConfig config, Map<String, Object> properties, BundleContext context,
            @Reference TagSink sink) {
        this(config, properties, sink);
        if (context != null) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(ID_PROPERTY, id);
            props.put(PROTOCOL_PROPERTY, PROTOCOL);
            Object file = properties.get(ConfigurationNames.FILE_PROPERTY);
            if (file != null) {
                props.put(ConfigurationNames.FILE_PROPERTY, file); // names the file when the name is taken twice
            }
            registration = context.registerService(new String[] {Connector.class.getName(),
                OpcUaConnector.class.getName()}, this, props);
        }
    }

    /** Builds and starts a connection without OSGi (tests). */
    OpcUaConnector(OpcUaConfig config, Map<String, Object> properties, TagSink sink) {
        this.sink = sink;
        OpcUaSettings s = null;
        String failure = null;
        try {
            s = OpcUaSettings.read(config, properties);
        } catch (InvalidConfigException e) {
            failure = e.getMessage();
        }
        this.settings = s;
        this.id = s != null ? s.id() : fallbackId(properties);
        this.executor = newExecutor(id);
        if (s == null) {
            LOG.error("OPC UA connection {} not started: {}", id, failure);
            this.tagsByName = Map.of();
            this.definitions = List.of();
            this.pki = null;
            this.status = ConnectorStatus.of(ConnectorState.FAILED, failure);
            return;
        }
        Map<String, OpcUaTag> map = new LinkedHashMap<>();
        s.tags().forEach(t -> map.put(t.name(), t));
        this.tagsByName = Collections.unmodifiableMap(map);
        this.definitions = s.tags().stream().map(OpcUaTag::definition).collect(Collectors.toUnmodifiableList());
        for (String e : s.tagErrors()) {
            LOG.error("OPC UA connection {}: tag skipped: {}", id, e);
        }
        this.pki = new Pki(s.pkiDir(), s.autoAccept(), id);
        this.status = ConnectorStatus.of(ConnectorState.CONNECTING, "connecting to " + s.endpointUrl());
        this.backoff = s.reconnectMin();
        executor.execute(this::connect);
    }

    private static String fallbackId(Map<String, Object> props) {
        Object n = props.get("name");
        return n != null && !n.toString().isBlank() ? n.toString().trim()
                : ConfigurationNames.instanceName(props).orElse("opcua");
    }

    private static ScheduledExecutorService newExecutor(String id) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fogwerk-opcua-" + id);
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return ex;
    }

    @Deactivate
    public void deactivate() {
        closed = true;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        executor.shutdownNow();
        OpcUaClient c = client;
        client = null;
        if (c != null) {
            try {
                c.disconnect().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("OPC UA connection {}: disconnect: {}", id, e.toString());
            }
        }
        if (pki != null) {
            pki.close();
        }
        setStatus(ConnectorState.DISCONNECTED, "stopped");
    }

    // ---- connecting ------------------------------------------------------------------------

    private void connect() {
        if (closed) {
            return;
        }
        OpcUaClient c = null;
        try {
            c = createClient();
            c.connect().get(settings.requestTimeout() + 5000, TimeUnit.MILLISECONDS);
            if (closed) {
                c.disconnect();
                return;
            }
            client = c;
            backoff = settings.reconnectMin();
            if (recovering) {
                recovering = false;
                reconnects.incrementAndGet();
            }
            lastActivity = System.currentTimeMillis();
            if (!watchdogStarted) {
                watchdogStarted = true;
                executor.scheduleWithFixedDelay(this::watchKeepAlive, settings.keepAliveInterval(),
                        settings.keepAliveInterval(), TimeUnit.MILLISECONDS);
            }
            LOG.info("OPC UA connection {} connected to {}", id, settings.endpointUrl());
            createSubscription(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String reason = describe(cause);
            if (c != null && client != c) {
                c.disconnect();
            }
            if (client == c) {
                client = null;
            }
            boolean untrusted = reason.contains("Bad_SecurityChecksFailed") || reason.contains("Bad_CertificateUntrusted");
            long delay = backoff;
            backoff = Math.min(settings.reconnectMax(), backoff * 2);
            String thumb = serverThumbprint;
            String why = untrusted ? "the server certificate " + (thumb == null ? "" : thumb + " ")
                    + "is not trusted (" + reason + "); it is filed in " + settings.pkiDir().resolve("rejected")
                    + ": check it with fogwerk:opcua-certs, trust it with fogwerk:opcua-cert-trust "
                    + (thumb == null ? "<thumbprint>" : thumb) : reason;
            if (quietStart.quiet() && !untrusted) {
                LOG.info("OPC UA connection {}: cannot connect to {} yet: {} (starting up, retry in {} ms)", id,
                        settings.endpointUrl(), why, delay);
            } else {
                LOG.warn("OPC UA connection {}: cannot connect to {}: {} (retry in {} ms)", id, settings.endpointUrl(),
                        why, delay);
            }
            setStatus(untrusted ? ConnectorState.FAILED : ConnectorState.DISCONNECTED, why);
            scheduleConnect(delay);
        }
    }

    /**
     * Tries to connect again soon if the connection is down (after a certificate was trusted):
     * the trust list is re-read by Milo's watcher, so no restart is needed.
     */
    public void retrySoon() {
        if (closed || client != null) {
            return;
        }
        ScheduledFuture<?> p = pendingConnect;
        if (p != null && p.cancel(false)) {
            executor.execute(() -> {
                backoff = settings.reconnectMin();
                scheduleConnect(500);
            });
        }
    }

    private void scheduleConnect(long delay) {
        if (!closed) {
            pendingConnect = executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        }
    }

    private OpcUaClient createClient() throws Exception {
        String policyUri = settings.securityPolicy().getUri();
        boolean secure = settings.securityPolicy() != SecurityPolicy.None;
        if (secure || settings.auth().equals("x509")) {
            pki.load();
        }
        List<EndpointDescription> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            return OpcUaClient.create(settings.endpointUrl(), endpoints -> {
                offered.addAll(endpoints);
                return endpoints.stream()
                        .filter(e -> policyUri.equals(e.getSecurityPolicyUri())
                                && e.getSecurityMode() == settings.securityMode())
                        .findFirst()
                        .map(this::remember)
                        .map(this::sameHostAsConfigured);
            }, builder -> configure(builder, secure));
        } catch (UaException e) {
            if (!offered.isEmpty()) {
                throw new UaException(StatusCodes.Bad_SecurityPolicyRejected, noMatchingEndpoint(
                        settings.securityPolicy(), settings.securityMode(), offered));
            }
            throw e;
        }
    }

    /** What to tell a user whose security settings the server does not offer: what it does offer. */
    static String noMatchingEndpoint(SecurityPolicy policy, MessageSecurityMode mode, List<EndpointDescription> offered) {
        java.util.Set<String> pairs = new java.util.LinkedHashSet<>();
        for (EndpointDescription e : offered) {
            String name = SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri()).map(SecurityPolicy::name)
                    .orElse(String.valueOf(e.getSecurityPolicyUri()));
            pairs.add(name + "/" + e.getSecurityMode());
        }
        return "the server offers no endpoint with security.policy = " + policy.name() + " and security.mode = "
                + mode + "; it offers (policy/mode): " + String.join(", ", pairs);
    }

    private volatile String serverThumbprint;

    private EndpointDescription remember(EndpointDescription e) {
        ByteString cert = e.getServerCertificate();
        if (cert != null && cert.isNotNull() && cert.length() > 0) {
            try {
                serverThumbprint = Pki.thumbprint(org.eclipse.milo.opcua.stack.core.util.CertificateUtil
                        .decodeCertificate(cert.bytesOrEmpty()));
            } catch (UaException ex) {
                serverThumbprint = null;
            }
        }
        return e;
    }

    /** Servers often announce a host name the node cannot resolve: keep the configured host. */
    private EndpointDescription sameHostAsConfigured(EndpointDescription e) {
        try {
            java.net.URI configured = java.net.URI.create(settings.endpointUrl());
            java.net.URI announced = java.net.URI.create(e.getEndpointUrl());
            String url = "opc.tcp://" + configured.getHost() + ":" + (announced.getPort() > 0 ? announced.getPort()
                    : configured.getPort()) + (announced.getRawPath() == null ? "" : announced.getRawPath());
            return new EndpointDescription(url, e.getServer(), e.getServerCertificate(), e.getSecurityMode(),
                    e.getSecurityPolicyUri(), e.getUserIdentityTokens(), e.getTransportProfileUri(),
                    e.getSecurityLevel());
        } catch (IllegalArgumentException ex) {
            return e;
        }
    }

    private org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig configure(OpcUaClientConfigBuilder b,
            boolean secure) {
        b.setApplicationName(LocalizedText.english("Fogwerk " + id))
                .setApplicationUri(pki.applicationUri())
                .setProductUri("urn:fogwerk")
                .setRequestTimeout(uint(settings.requestTimeout()))
                // liveness is judged by watchKeepAlive(), where data counts as keep-alive; Milo's own
                // keep-alive read (which ignores data) runs rarely and never drops the session
                .setKeepAliveInterval(uint(settings.keepAliveInterval() * 10))
                .setKeepAliveTimeout(uint(settings.requestTimeout()))
                .setKeepAliveFailuresAllowed(uint(Integer.MAX_VALUE))
                .setIdentityProvider(identity());
        if (secure || settings.auth().equals("x509")) {
            b.setKeyPair(pki.keyPair()).setCertificate(pki.certificate())
                    .setCertificateChain(new java.security.cert.X509Certificate[] {pki.certificate()})
                    .setCertificateValidator(pki.validator());
        }
        return b.build();
    }

    private IdentityProvider identity() {
        switch (settings.auth()) {
            case "username":
                return new UsernameProvider(settings.username(), settings.password());
            case "x509":
                return new X509IdentityProvider(pki.certificate(), pki.keyPair().getPrivate());
            default:
                return new AnonymousProvider();
        }
    }

    /** Milo's session and subscription events of one client; events of a replaced client are ignored. */
    private final class ClientListener implements SessionActivityListener,
            UaSubscriptionManager.SubscriptionListener {
        private final OpcUaClient owner;

        ClientListener(OpcUaClient owner) {
            this.owner = owner;
        }

        private boolean current() {
            return !closed && client == owner;
        }

        @Override
        public void onSessionActive(UaSession session) {
            inputArgumentCache.clear(); // a new session may talk to a changed server
            if (current() && lostSince != 0) {
                lostSince = 0;
                long n = reconnects.incrementAndGet();
                LOG.info("OPC UA connection {}: session back (reconnect #{})", id, n);
                if (subscription != null) {
                    updateStatusAfterSubscribe();
                    executor.execute(() -> publishCurrentValues(owner));
                }
            }
        }

        @Override
        public void onSessionInactive(UaSession session) {
            if (!current()) {
                return;
            }
            lostSince = System.currentTimeMillis();
            LOG.warn("OPC UA connection {}: session to {} lost, reconnecting", id, settings.endpointUrl());
            setStatus(ConnectorState.DISCONNECTED, "session lost, reconnecting");
            executor.schedule(() -> probe(owner), settings.reconnectMin(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onSubscriptionTransferFailed(UaSubscription sub, StatusCode statusCode) {
            if (!current()) {
                return;
            }
            LOG.info("OPC UA connection {}: subscription could not be transferred ({}), creating it again",
                    id, ValueMapper.statusName(statusCode));
            if (sub == subscription) {
                subscription = null;
            }
            executor.execute(() -> recreate(owner));
        }
    }

    /** When the session was lost (epoch ms), 0 while it is up. */
    private volatile long lostSince;

    /**
     * While Milo's session machine waits to reconnect (its wait grows to 16 s and cannot be set),
     * check with a plain TCP connect whether the server is back; once it is and Milo has had
     * {@link #MILO_GRACE_MS} to recover by itself, replace the client. Values then return within
     * a few seconds of the server coming back, however long it was away.
     */
    private void probe(OpcUaClient c) {
        long since = lostSince;
        if (closed || client != c || since == 0) {
            return;
        }
        if (System.currentTimeMillis() - since >= MILO_GRACE_MS && reachable()) {
            LOG.info("OPC UA connection {}: server reachable again, opening a new session", id);
            client = null;
            subscription = null;
            lostSince = 0;
            recovering = true;
            c.disconnect();
            backoff = settings.reconnectMin();
            connect();
            return;
        }
        executor.schedule(() -> probe(c), settings.reconnectMin(), TimeUnit.MILLISECONDS);
    }

    static final long MILO_GRACE_MS = 2000;

    private boolean watchdogStarted;
    /** Last sign of life of the session: a data change, a subscription keep-alive or a keep-alive read. */
    private volatile long lastActivity;
    private final AtomicLong keepAliveReads = new AtomicLong();

    /**
     * Data counts as keep-alive: a read of the server state is sent only when nothing arrived for
     * a keep-alive interval, and the session is replaced only when nothing at all (no data, no
     * subscription keep-alive, no answer to those reads) arrived for three intervals plus the
     * request timeout. A busy server whose keep-alive reads are slow is never dropped while its
     * data flows.
     */
    private void watchKeepAlive() {
        OpcUaClient c = client;
        if (c == null || closed || lostSince != 0) {
            return;
        }
        long now = System.currentTimeMillis();
        long silent = now - lastActivity;
        long interval = settings.keepAliveInterval();
        if (silent < interval) {
            return;
        }
        if (silent > 3 * interval + settings.requestTimeout()) {
            LOG.warn("OPC UA connection {}: no data and no keep-alive answer for {} ms, opening a new session", id,
                    silent);
            setStatus(ConnectorState.DISCONNECTED, "no answer from the server for " + silent + " ms");
            client = null;
            subscription = null;
            recovering = true;
            c.disconnect();
            backoff = settings.reconnectMin();
            connect();
            return;
        }
        keepAliveReads.incrementAndGet();
        c.readValue(0.0, TimestampsToReturn.Neither, Identifiers.Server_ServerStatus_State).thenAccept(dv -> {
            if (dv.getStatusCode() == null || !dv.getStatusCode().isBad()) {
                lastActivity = System.currentTimeMillis();
            }
        });
    }

    long keepAliveReads() {
        return keepAliveReads.get();
    }

    private volatile boolean recovering;

    private boolean reachable() {
        try {
            java.net.URI uri = java.net.URI.create(settings.endpointUrl());
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 4840),
                        (int) Math.min(settings.requestTimeout(), 1000));
                return true;
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private void recreate(OpcUaClient c) {
        if (closed || client != c || subscription != null) {
            return;
        }
        try {
            createSubscription(c);
        } catch (Exception e) {
            LOG.warn("OPC UA connection {}: cannot create the subscription again: {}", id, describe(e));
            setStatus(ConnectorState.DISCONNECTED, "cannot create the subscription: " + describe(e));
            executor.schedule(() -> recreate(c), settings.reconnectMin(), TimeUnit.MILLISECONDS);
        }
    }

    private void createSubscription(OpcUaClient c) throws Exception {
        if (listening != c) {
            ClientListener l = new ClientListener(c);
            c.addSessionActivityListener(l);
            c.getSubscriptionManager().addSubscriptionListener(l);
            listening = c;
        }
        NamespaceTable ns = c.readNamespaceTableAsync().get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
        List<OpcUaTag> all = settings.tags();
        List<String> bad = new ArrayList<>();
        List<OpcUaTag> resolved = new ArrayList<>();
        List<NodeId> nodeIds = new ArrayList<>();
        for (OpcUaTag t : all) {
            Optional<NodeId> n = resolve(t.nodeId(), ns);
            if (n.isEmpty()) {
                bad.add(t.name() + " (namespace of " + t.nodeId() + " not on the server)");
                publishBad(t.name(), "namespace not on the server");
            } else {
                resolved.add(t);
                nodeIds.add(n.get());
            }
        }
        resolveDataTypes(c, resolved, nodeIds);

        UaSubscription sub = c.getSubscriptionManager().createSubscription(settings.publishingInterval())
                .get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
        OpcUaTag[] handles = resolved.toArray(new OpcUaTag[0]);
        byHandle = handles;
        sub.addNotificationListener(new UaSubscription.NotificationListener() {
            @Override
            public void onDataChangeNotification(UaSubscription s, List<UaMonitoredItem> items, List<DataValue> values,
                    DateTime publishTime) {
                onData(handles, items, values);
            }

            @Override
            public void onKeepAliveNotification(UaSubscription s, DateTime publishTime) {
                lastActivity = System.currentTimeMillis();
            }
        });
        int failedItems = 0;
        for (int from = 0; from < resolved.size(); from += BATCH) {
            int to = Math.min(resolved.size(), from + BATCH);
            List<MonitoredItemCreateRequest> requests = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                requests.add(request(c, i, resolved.get(i), nodeIds.get(i)));
            }
            List<UaMonitoredItem> items = sub.createMonitoredItems(TimestampsToReturn.Both, requests)
                    .get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
            for (UaMonitoredItem item : items) {
                if (item.getStatusCode().isBad()) {
                    failedItems++;
                    OpcUaTag t = handles[item.getClientHandle().intValue()];
                    String name = ValueMapper.statusName(item.getStatusCode());
                    bad.add(t.name() + " (" + t.nodeId() + ": " + name + ")");
                    publishBad(t.name(), name);
                }
            }
            // items that failed stay out of the subscription: delete them so a later retry starts clean
            List<UaMonitoredItem> failed = items.stream().filter(i -> i.getStatusCode().isBad())
                    .collect(Collectors.toList());
            if (!failed.isEmpty()) {
                sub.deleteMonitoredItems(failed);
            }
        }
        subscription = sub;
        badTags = List.copyOf(bad);
        updateStatusAfterSubscribe();
        LOG.info("OPC UA connection {}: subscribed {} of {} tags", id, resolved.size() - failedItems, all.size());
    }

    /** The client the listeners are on (only touched on the connection's thread). */
    private OpcUaClient listening;

    private void resolveDataTypes(OpcUaClient c, List<OpcUaTag> tags, List<NodeId> nodeIds) {
        Map<String, TagDefinition> updated = new LinkedHashMap<>();
        definitions.forEach(d -> updated.put(d.name(), d));
        for (int from = 0; from < tags.size(); from += BATCH) {
            int to = Math.min(tags.size(), from + BATCH);
            List<ReadValueId> ids = new ArrayList<>();
            for (int i = from; i < to; i++) {
                ids.add(new ReadValueId(nodeIds.get(i), AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
            }
            try {
                DataValue[] results = c.read(0.0, TimestampsToReturn.Neither, ids)
                        .get(settings.requestTimeout(), TimeUnit.MILLISECONDS).getResults();
                List<DataValue> values = results == null ? List.of() : Arrays.asList(results);
                for (int i = 0; i < values.size(); i++) {
                    OpcUaTag t = tags.get(from + i);
                    Object v = values.get(i).getValue().getValue();
                    if (v instanceof NodeId) {
                        nodeTypes.put(t.name(), (NodeId) v);
                        TagDefinition d = t.definition();
                        updated.put(t.name(), new TagDefinition(d.name(), d.address(),
                                ValueMapper.dataType((NodeId) v), d.access(), d.unit(), d.description(), d.min(),
                                d.max(), d.attributes()));
                    }
                }
            } catch (Exception e) {
                LOG.debug("OPC UA connection {}: data types not read: {}", id, describe(e));
            }
        }
        definitions = List.copyOf(updated.values());
    }

    private MonitoredItemCreateRequest request(OpcUaClient c, int handle, OpcUaTag t, NodeId nodeId) {
        double sampling = t.samplingInterval() != null ? t.samplingInterval() : settings.samplingInterval();
        ExtensionObject filter = null;
        double deadband = t.deadband() != null ? t.deadband() : settings.deadbandValue();
        int type = settings.deadbandType();
        NodeId typeId = nodeTypes.get(t.name());
        // servers refuse a deadband on non-numeric nodes (Bad_FilterNotAllowed): only numbers get one
        boolean numeric = typeId != null && ValueMapper.dataType(typeId).isNumeric();
        if (numeric && (type != OpcUaSettings.DEADBAND_NONE && deadband > 0
                || t.deadband() != null && t.deadband() > 0)) {
            int effectiveType = type == OpcUaSettings.DEADBAND_NONE ? OpcUaSettings.DEADBAND_ABSOLUTE : type;
            filter = ExtensionObject.encode(c.getStaticSerializationContext(),
                    new DataChangeFilter(DataChangeTrigger.StatusValue, uint(effectiveType), deadband));
        }
        MonitoringParameters params = new MonitoringParameters(uint(handle), sampling, filter,
                uint(settings.queueSize()), true);
        return new MonitoredItemCreateRequest(new ReadValueId(nodeId, AttributeId.Value.uid(), null,
                QualifiedName.NULL_VALUE), MonitoringMode.Reporting, params);
    }

    static Optional<NodeId> resolve(String text, NamespaceTable ns) {
        ExpandedNodeId x = ExpandedNodeId.parseOrNull(text);
        if (x == null) {
            return Optional.empty();
        }
        return x.toNodeId(ns);
    }

    private void onData(OpcUaTag[] handles, List<UaMonitoredItem> items, List<DataValue> values) {
        long now = System.currentTimeMillis();
        lastDataMillis = now;
        lastActivity = now;
        List<TagValue> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            int h = items.get(i).getClientHandle().intValue();
            if (h < 0 || h >= handles.length) {
                continue;
            }
            out.add(ValueMapper.toTagValue(id, handles[h].name(), values.get(i), now));
        }
        valuesIn.addAndGet(out.size());
        sink.publishAll(out);
    }

    /**
     * The node marked every tag BAD while the session was away; a resumed subscription reports
     * only what changed since, so the current value of every tag is read and published.
     */
    private void publishCurrentValues(OpcUaClient c) {
        UaSubscription sub = subscription;
        if (closed || client != c || sub == null) {
            return;
        }
        OpcUaTag[] handles = byHandle;
        List<UaMonitoredItem> items = new ArrayList<>(sub.getMonitoredItems());
        for (int from = 0; from < items.size(); from += BATCH) {
            List<UaMonitoredItem> part = items.subList(from, Math.min(items.size(), from + BATCH));
            List<NodeId> nodes = part.stream().map(i -> i.getReadValueId().getNodeId()).collect(Collectors.toList());
            try {
                List<DataValue> values = c.readValues(0.0, TimestampsToReturn.Both, nodes)
                        .get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
                onData(handles, part, values);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debug("OPC UA connection {}: current values not read after the session came back: {}", id,
                        describe(e));
            }
        }
    }

    private void publishBad(String tag, String reason) {
        sink.publish(TagValue.bad(id, tag, reason));
    }

    private void updateStatusAfterSubscribe() {
        List<String> bad = badTags;
        if (bad.isEmpty() && settings.tagErrors().isEmpty()) {
            setStatus(ConnectorState.CONNECTED, "");
        } else if (bad.isEmpty()) {
            setStatus(ConnectorState.DEGRADED, settings.tagErrors().size() + " tag lines skipped" + configErrors());
        } else {
            List<String> shown = bad.size() > 20 ? bad.subList(0, 20) : bad;
            setStatus(ConnectorState.DEGRADED, bad.size() + " of " + settings.tags().size() + " tags failed: "
                    + String.join(", ", shown) + (bad.size() > 20 ? ", ..." : "") + configErrors());
        }
    }

    private String configErrors() {
        List<String> errs = settings.tagErrors();
        return errs.isEmpty() ? "" : "; " + String.join("; ", errs.size() > 10 ? errs.subList(0, 10) : errs);
    }

    private synchronized void setStatus(ConnectorState state, String reason) {
        if (state == ConnectorState.CONNECTED || state == ConnectorState.DEGRADED) {
            quietStart.connected();
        }
        ConnectorStatus old = status;
        if (old != null && old.state() == state && old.reason().equals(reason == null ? "" : reason)
                && old.reconnects() == reconnects.get()) {
            return;
        }
        status = new ConnectorStatus(state, reason, Instant.now(), reconnects.get());
    }

    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UaException) {
                UaException u = (UaException) c;
                String m = u.getMessage() == null ? "" : u.getMessage();
                java.util.regex.Matcher matcher = java.util.regex.Pattern
                        .compile("status=([A-Za-z_]+), message=(.*)", java.util.regex.Pattern.DOTALL).matcher(m);
                if (matcher.find()) {
                    return matcher.group(1) + ": " + matcher.group(2);
                }
                return ValueMapper.statusName(u.getStatusCode()) + (m.isEmpty() ? "" : ": " + m);
            }
        }
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UaException) {
            UaException u = (UaException) t;
            return ValueMapper.statusName(u.getStatusCode()) + (u.getMessage() == null ? "" : ": " + u.getMessage());
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    // ---- Connector SPI ---------------------------------------------------------------------

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
        ConnectorStatus s = status;
        return s.reconnects() == reconnects.get() ? s
                : new ConnectorStatus(s.state(), s.reason(), s.since(), reconnects.get());
    }

    @Override
    public List<TagDefinition> tags() {
        return definitions;
    }

    long valuesIn() {
        return valuesIn.get();
    }

    long lastDataMillis() {
        return lastDataMillis;
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

    /** Reads the value of any node now, as a value named after the node id. */
    public CompletableFuture<TagValue> readNodeValue(String nodeId) {
        return readNode(nodeId).thenApply(dv -> ValueMapper.toTagValue(id, nodeId, dv, System.currentTimeMillis()));
    }

    /** The number of monitored items in the current subscription (tests check for duplicates). */
    int monitoredItemCount() {
        OpcUaClient c = client;
        if (c == null) {
            return 0;
        }
        return c.getSubscriptionManager().getSubscriptions().stream().mapToInt(s -> s.getMonitoredItems().size())
                .sum();
    }

    private CompletableFuture<OpcUaClient> connected() {
        OpcUaClient c = client;
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection " + id + " is not connected ("
                    + status.state() + (status.reason().isEmpty() ? "" : ": " + status.reason()) + ")"));
        }
        return CompletableFuture.completedFuture(c);
    }

    private CompletableFuture<NodeId> nodeIdOf(OpcUaClient c, String text) {
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

    @Override
    public CompletionStage<TagValue> read(String tag) {
        OpcUaTag t = tagsByName.get(tag);
        if (t == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("connection " + id
                    + " has no tag " + tag));
        }
        return readNode(t.nodeId()).thenApply(dv -> ValueMapper.toTagValue(id, tag, dv, System.currentTimeMillis()));
    }

    /** Reads the value of any node now. */
    CompletableFuture<DataValue> readNode(String nodeId) {
        return connected().thenCompose(c -> nodeIdOf(c, nodeId).thenCompose(n -> c.readValue(0.0,
                TimestampsToReturn.Both, n)));
    }

    @Override
    public CompletionStage<WriteResult> write(String tag, Object value) {
        OpcUaTag t = tagsByName.get(tag);
        if (t == null) {
            return CompletableFuture.completedFuture(WriteResult.refused(id, tag, "connection " + id
                    + " has no tag " + tag));
        }
        if (!t.definition().writable()) {
            return CompletableFuture.completedFuture(WriteResult.refused(id, tag, "tag " + tag + " is read-only"));
        }
        return writeNode(t.nodeId(), value, nodeTypes.get(tag)).handle((status, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return cause instanceof IllegalArgumentException
                        ? WriteResult.refused(id, tag, "tag " + tag + ": " + cause.getMessage())
                        : WriteResult.failed(id, tag, describe(cause));
            }
            return status.isGood() ? WriteResult.done(id, tag)
                    : WriteResult.failed(id, tag, ValueMapper.statusName(status));
        });
    }

    /** Writes any node, converting the value to the node's data type (read when not known). */
    CompletableFuture<StatusCode> writeNode(String nodeIdText, Object value, NodeId knownType) {
        return connected().thenCompose(c -> nodeIdOf(c, nodeIdText).thenCompose(n -> {
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
        }));
    }

    @Override
    public boolean canCall() {
        return true;
    }

    /**
     * Calls a method: reads its InputArguments property (once per method and session), checks the
     * number of arguments, converts each to its declared type, calls it and maps the outputs to
     * Java values. Text works for every scalar type; a one-dimensional array argument takes a
     * Java array, a List or comma separated text. Arguments that do not fit, an unknown method
     * or object are REFUSED; a bad status from the server is FAILED with the status name and the
     * per-argument results.
     */
    @Override
    public CompletionStage<CallResult> call(String objectId, String methodId, List<Object> arguments) {
        List<Object> args = arguments == null ? List.of() : arguments;
        String method = methodId == null ? "" : methodId;
        CompletableFuture<CallResult> result;
        try {
            result = connected().thenCompose(c -> nodeIdOf(c, objectId).thenCompose(object -> nodeIdOf(c, method)
                    .thenCompose(m -> inputArguments(c, m).thenCompose(declared -> {
                        Variant[] inputs = callInputs(method, declared, args);
                        return c.call(List.of(new CallMethodRequest(object, m, inputs)))
                                .thenApply(r -> callResult(method, declared, r.getResults()[0]));
                    }))));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((r, error) -> {
            if (error == null) {
                return r;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return cause instanceof IllegalArgumentException ? CallResult.refused(id, method, cause.getMessage())
                    : CallResult.failed(id, method, describe(cause));
        });
    }

    /** The method's declared input arguments: its InputArguments property, none when it has none. */
    private CompletableFuture<List<Argument>> inputArguments(OpcUaClient c, NodeId method) {
        if (inputArgumentOwner != c) {
            inputArgumentCache.clear();
            inputArgumentOwner = c;
        }
        List<Argument> cached = inputArgumentCache.get(method);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        BrowseDescription bd = new BrowseDescription(method, BrowseDirection.Forward, Identifiers.HasProperty, false,
                uint(NodeClass.Variable.getValue()), uint(BrowseResultMask.BrowseName.getValue()));
        ViewDescription view = new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));
        return c.browse(view, uint(0), List.of(bd)).thenCompose(resp -> {
            BrowseResult result = resp.getResults()[0];
            if (result.getStatusCode().isBad()) {
                throw new IllegalArgumentException("method " + method.toParseableString() + ": "
                        + ValueMapper.statusName(result.getStatusCode()));
            }
            Optional<NodeId> property = result.getReferences() == null ? Optional.empty()
                    : Arrays.stream(result.getReferences())
                            .filter(r -> r.getBrowseName().equals(INPUT_ARGUMENTS))
                            .findFirst().flatMap(r -> r.getNodeId().toNodeId(c.getNamespaceTable()));
            if (property.isEmpty()) {
                return CompletableFuture.completedFuture(List.<Argument>of());
            }
            return c.readValue(0.0, TimestampsToReturn.Neither, property.get()).thenApply(dv -> {
                Object v = dv.getValue() == null ? null : dv.getValue().getValue();
                if (dv.getStatusCode() != null && dv.getStatusCode().isBad() || !(v instanceof ExtensionObject[])) {
                    throw new IllegalStateException("method " + method.toParseableString()
                            + ": its InputArguments cannot be read ("
                            + ValueMapper.statusName(dv.getStatusCode()) + ")");
                }
                List<Argument> declared = new ArrayList<>();
                for (ExtensionObject xo : (ExtensionObject[]) v) {
                    declared.add((Argument) xo.decode(c.getStaticSerializationContext()));
                }
                return List.copyOf(declared);
            });
        }).thenApply(declared -> {
            inputArgumentCache.put(method, declared);
            return declared;
        });
    }

    /** The arguments converted to the declared types, or IllegalArgumentException saying which does not fit. */
    static Variant[] callInputs(String method, List<Argument> declared, List<Object> args) {
        if (declared.size() != args.size()) {
            throw new IllegalArgumentException(method + " takes " + declared.size() + " argument"
                    + (declared.size() == 1 ? "" : "s") + " " + signature(declared) + ", got " + args.size());
        }
        Variant[] inputs = new Variant[args.size()];
        for (int i = 0; i < args.size(); i++) {
            Argument a = declared.get(i);
            try {
                inputs[i] = argument(a, args.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(method + ": argument " + (i + 1) + " (" + a.getName() + ": "
                        + typeName(a.getDataType()) + "): " + e.getMessage());
            }
        }
        return inputs;
    }

    private static Variant argument(Argument a, Object value) {
        Integer rank = a.getValueRank();
        if (rank == null || rank <= 0) {
            if (value instanceof List || value != null && value.getClass().isArray() && !(value instanceof byte[])) {
                throw new IllegalArgumentException("takes a single value, not a list");
            }
            return ValueMapper.toVariant(value, a.getDataType());
        }
        if (rank != 1) {
            throw new IllegalArgumentException("arrays of " + rank + " dimensions are not supported");
        }
        List<Object> items = new ArrayList<>();
        if (value instanceof List) {
            items.addAll((List<?>) value);
        } else if (value instanceof String) {
            String text = ((String) value).trim();
            if (!text.isEmpty()) {
                items.addAll(Arrays.asList(text.split(",", -1)));
            }
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
        } else {
            throw new IllegalArgumentException("takes a list of values");
        }
        org.eclipse.milo.opcua.stack.core.BuiltinDataType b = ValueMapper.builtin(a.getDataType());
        if (b == null) {
            throw new IllegalArgumentException("the data type " + a.getDataType().toParseableString()
                    + " is not a built-in type this connector can convert to");
        }
        Object array = Array.newInstance(b.getBackingClass(), items.size());
        for (int i = 0; i < items.size(); i++) {
            Object element = ValueMapper.toVariant(items.get(i), a.getDataType()).getValue();
            Array.set(array, i, element);
        }
        return new Variant(array);
    }

    /** {@code (name: String, value: Double)}. */
    static String signature(List<Argument> declared) {
        return declared.stream().map(a -> a.getName() + ": " + typeName(a.getDataType())
                + (a.getValueRank() != null && a.getValueRank() > 0 ? "[]" : ""))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private CallResult callResult(String method, List<Argument> declared, CallMethodResult r) {
        StatusCode status = r.getStatusCode();
        if (status != null && status.isBad()) {
            StringBuilder reason = new StringBuilder(ValueMapper.statusName(status));
            StatusCode[] inputs = r.getInputArgumentResults();
            if (inputs != null) {
                for (int i = 0; i < inputs.length; i++) {
                    if (inputs[i] != null && !inputs[i].isGood()) {
                        reason.append("; argument ").append(i + 1);
                        if (i < declared.size()) {
                            reason.append(" (").append(declared.get(i).getName()).append(')');
                        }
                        reason.append(": ").append(ValueMapper.statusName(inputs[i]));
                    }
                }
            }
            return CallResult.failed(id, method, reason.toString());
        }
        List<Object> outputs = new ArrayList<>();
        if (r.getOutputArguments() != null) {
            for (Variant v : r.getOutputArguments()) {
                outputs.add(v == null ? null : ValueMapper.toJava(v.getValue()));
            }
        }
        return CallResult.done(id, method, outputs);
    }

    @Override
    public boolean canBrowse() {
        return true;
    }

    @Override
    public CompletionStage<List<BrowseNode>> browse(String nodeId) {
        return connected().thenCompose(c -> (nodeId == null || nodeId.isBlank()
                ? CompletableFuture.completedFuture(Identifiers.ObjectsFolder) : nodeIdOf(c, nodeId))
                .thenCompose(n -> browseAll(c, n)));
    }

    private CompletableFuture<List<BrowseNode>> browseAll(OpcUaClient c, NodeId parent) {
        BrowseDescription bd = new BrowseDescription(parent, BrowseDirection.Forward,
                Identifiers.HierarchicalReferences, true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue() | NodeClass.Method.getValue()),
                uint(BrowseResultMask.All.getValue()));
        ViewDescription view = new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));
        return c.browse(view, uint(0), List.of(bd)).thenCompose(resp -> {
            BrowseResult result = resp.getResults()[0];
            if (result.getStatusCode().isBad()) {
                throw new IllegalArgumentException("cannot browse " + parent.toParseableString() + ": "
                        + ValueMapper.statusName(result.getStatusCode()));
            }
            List<ReferenceDescription> refs = new ArrayList<>(result.getReferences() == null ? List.of()
                    : Arrays.asList(result.getReferences()));
            return browseNext(c, result.getContinuationPoint(), refs);
        }).thenCompose(refs -> describeNodes(c, refs));
    }

    private CompletableFuture<List<ReferenceDescription>> browseNext(OpcUaClient c, ByteString cp,
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

    private CompletableFuture<List<BrowseNode>> describeNodes(OpcUaClient c, List<ReferenceDescription> refs) {
        NamespaceTable ns = c.getNamespaceTable();
        List<ReadValueId> reads = new ArrayList<>();
        Map<Integer, Integer> readIndex = new HashMap<>();
        List<NodeId> local = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            NodeId n = refs.get(i).getNodeId().toNodeId(ns).orElse(null);
            local.add(n);
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
                        dataType = typeName((NodeId) t);
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

    static String typeName(NodeId typeId) {
        org.eclipse.milo.opcua.stack.core.BuiltinDataType b = ValueMapper.builtin(typeId);
        return b != null && BUILTIN_NAMES.contains(b.name()) && typeId.getNamespaceIndex().intValue() == 0
                && org.eclipse.milo.opcua.stack.core.BuiltinDataType.fromNodeId(typeId) != null ? b.name()
                        : typeId.toParseableString();
    }

    private static final List<String> BUILTIN_NAMES = Arrays.stream(
            org.eclipse.milo.opcua.stack.core.BuiltinDataType.values()).map(Enum::name).collect(Collectors.toList());
}
