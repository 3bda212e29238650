package org.fogwerk.connector.opcua.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscriptionManager;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the session of one connection on its own thread with back-off and keeps it: once a
 * session exists, Milo's session state machine keeps it alive, reconnects and transfers the
 * subscription; when the transfer fails (server restarted) the subscription is created again,
 * and when Milo waits too long for a server that is back, the client is replaced.
 */
final class SessionKeeper {

    /** How long Milo may try to resume a session by itself once the server answers again. */
    static final long MILO_GRACE_MS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);

    private final String id;
    private final OpcUaSettings settings;
    private final ClientFactory clients;
    private final ConnectionStatus status;
    private final TagSubscriptions subscriptions;
    /** Told about every session that starts, which may talk to a changed server. */
    private final Runnable sessionStarted;
    private final ScheduledExecutorService executor;
    private final AtomicLong keepAliveReads = new AtomicLong();
    private volatile OpcUaClient client;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> pendingConnect;
    /** When the session was lost (epoch ms), 0 while it is up. */
    private volatile long lostSince;
    /** Last sign of life of the session: a data change, a subscription keep-alive or a keep-alive read. */
    private volatile long lastActivity;
    private volatile boolean recovering;
    private long backoff;
    private boolean watchdogStarted;
    /** The client the listeners are on (only touched on the connection's thread). */
    private OpcUaClient listening;

    SessionKeeper(String id, OpcUaSettings settings, ClientFactory clients, ConnectionStatus status,
            TagSubscriptions subscriptions, Runnable sessionStarted) {
        this.id = id;
        this.settings = settings;
        this.clients = clients;
        this.status = status;
        this.subscriptions = subscriptions;
        this.sessionStarted = sessionStarted;
        this.executor = newExecutor(id);
        this.backoff = settings.reconnectMin();
    }

    private static ScheduledExecutorService newExecutor(String id) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("fogwerk-opcua-" + id));
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return ex;
    }

    void start() {
        executor.execute(this::connect);
    }

    /** Stops connecting and closes the session (waits up to 2 s for the server to hear it). */
    void stop() {
        closed = true;
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
    }

    /** The client with a session, null while there is none. */
    OpcUaClient client() {
        return client;
    }

    /** The session is alive: data or a keep-alive arrived. */
    void touch() {
        lastActivity = System.currentTimeMillis();
    }

    long keepAliveReads() {
        return keepAliveReads.get();
    }

    private void connect() {
        if (closed) {
            return;
        }
        OpcUaClient c = null;
        try {
            c = clients.create();
            c.connect().get(settings.requestTimeout() + 5000, TimeUnit.MILLISECONDS);
            if (closed) {
                c.disconnect();
                return;
            }
            client = c;
            backoff = settings.reconnectMin();
            if (recovering) {
                recovering = false;
                status.reconnected();
            }
            touch();
            if (!watchdogStarted) {
                watchdogStarted = true;
                executor.scheduleWithFixedDelay(this::watchKeepAlive, settings.keepAliveInterval(),
                        settings.keepAliveInterval(), TimeUnit.MILLISECONDS);
            }
            LOG.info("OPC UA connection {} connected to {}", id, settings.endpointUrl());
            listen(c);
            subscriptions.subscribe(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String reason = UaErrors.describe(cause);
            if (c != null && client != c) {
                c.disconnect();
            }
            if (client == c) {
                client = null;
            }
            boolean untrusted = reason.contains("Bad_SecurityChecksFailed") || reason.contains("Bad_CertificateUntrusted");
            // the endpoint offers no login of the configured kind: a setting to change, not a network fault
            boolean noLogin = reason.contains("no UserTokenPolicy") || reason.contains("token policy found");
            boolean refused = UaErrors.loginRefused(cause);
            // each refused login leaves a session on the server until its session timeout, and a
            // server may lock the account after some: such a login is tried again that seldom
            long delay = refused ? Math.max(settings.reconnectMax(), ClientFactory.SESSION_TIMEOUT_MS) : backoff;
            backoff = Math.min(settings.reconnectMax(), backoff * 2);
            String thumb = clients.serverThumbprint();
            String why = refused ? refusedLogin(reason, delay)
                    : noLogin ? "the server takes no login of auth = " + settings.auth() + " on this endpoint ("
                    + reason + "): set auth (with username and .password, or a certificate) to a login it offers"
                    : !untrusted ? reason : Pki.trusted(settings.pkiDir(), thumb)
                    // the node trusts the server: it is the server that refuses the node
                    ? "the server refused the node's certificate (" + reason + "); the server certificate " + thumb
                            + " is trusted here: give the server " + settings.pkiDir().resolve(Pki.CLIENT_CERT)
                            + " and trust it there"
                    : "the server certificate " + (thumb == null ? "" : thumb + " ")
                    + "is not trusted (" + reason + "); it is filed in " + settings.pkiDir().resolve("rejected")
                    + ": check it with fogwerk:opcua-certs, trust it with fogwerk:opcua-cert-trust "
                    + (thumb == null ? "<thumbprint>" : thumb) + " (or the server refused the node's certificate, "
                    + settings.pkiDir().resolve(Pki.CLIENT_CERT) + ")";
            boolean setting = untrusted || noLogin || refused;
            if (status.quiet() && !setting) {
                LOG.info("OPC UA connection {}: cannot connect to {} yet: {} (starting up, retry in {} ms)", id,
                        settings.endpointUrl(), why, delay);
            } else {
                LOG.warn("OPC UA connection {}: cannot connect to {}: {} (retry in {} ms)", id, settings.endpointUrl(),
                        why, delay);
            }
            status.set(setting ? ConnectorState.FAILED : ConnectorState.DISCONNECTED, why);
            scheduleConnect(delay);
        }
    }

    private String refusedLogin(String reason, long delay) {
        String who = switch (settings.auth()) {
            case "username" -> "user " + settings.username();
            case "x509" -> "the node's certificate as its user";
            default -> "an anonymous session";
        };
        String what = switch (settings.auth()) {
            case "username" -> "check username and .password";
            case "x509" -> "give the server's administrator " + settings.pkiDir().resolve(Pki.CLIENT_CERT);
            default -> "set auth to a login the server takes";
        };
        return "the server refused the login of " + who + " (" + reason + "): " + what
                + "; tried again every " + delay / 1000 + " s, or at once when the connection's file changes";
    }

    private void listen(OpcUaClient c) {
        if (listening != c) {
            ClientListener l = new ClientListener(c);
            c.addSessionActivityListener(l);
            c.getSubscriptionManager().addSubscriptionListener(l);
            listening = c;
        }
    }

    /**
     * Tries to connect again soon if the connection is down (after a certificate was trusted):
     * the trust list is re-read by Milo's watcher, so no restart is needed.
     */
    void retrySoon() {
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

    /** Milo's session and subscription events of one client; events of a replaced client are ignored. */
    private final class ClientListener implements SessionActivityListener,
            UaSubscriptionManager.SubscriptionListener {
        private final OpcUaClient owner;

        ClientListener(OpcUaClient owner) {
            this.owner = owner;
        }

        @Override
        public void onSessionActive(UaSession session) {
            sessionStarted.run();
            if (current(owner) && lostSince != 0) {
                lostSince = 0;
                long n = status.reconnected();
                LOG.info("OPC UA connection {}: session back (reconnect #{})", id, n);
                if (subscriptions.active()) {
                    subscriptions.reportStatus();
                    executor.execute(() -> {
                        if (current(owner)) {
                            subscriptions.publishCurrentValues(owner);
                        }
                    });
                }
            }
        }

        @Override
        public void onSessionInactive(UaSession session) {
            if (!current(owner)) {
                return;
            }
            lostSince = System.currentTimeMillis();
            LOG.warn("OPC UA connection {}: session to {} lost, reconnecting", id, settings.endpointUrl());
            status.set(ConnectorState.DISCONNECTED, "session lost, reconnecting");
            executor.schedule(() -> probe(owner), settings.reconnectMin(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void onSubscriptionTransferFailed(UaSubscription sub, StatusCode statusCode) {
            if (!current(owner)) {
                return;
            }
            LOG.info("OPC UA connection {}: subscription could not be transferred ({}), creating it again",
                    id, ValueMapper.statusName(statusCode));
            subscriptions.transferFailed(sub);
            executor.execute(() -> recreate(owner));
        }
    }

    private boolean current(OpcUaClient c) {
        return !closed && client == c;
    }

    /**
     * While Milo's session machine waits to reconnect (its wait grows to 16 s and cannot be set),
     * check with a plain TCP connect whether the server is back; once it is and Milo has had
     * {@link #MILO_GRACE_MS} to recover by itself, replace the client. Values then return within
     * a few seconds of the server coming back, however long it was away.
     */
    private void probe(OpcUaClient c) {
        long since = lostSince;
        if (!current(c) || since == 0) {
            return;
        }
        if (System.currentTimeMillis() - since >= MILO_GRACE_MS) {
            if (reachable()) {
                LOG.info("OPC UA connection {}: server reachable again, opening a new session", id);
                lostSince = 0;
                replace(c);
                return;
            }
            // why it is still down, and what the node does about it (the same words while it lasts)
            status.set(ConnectorState.DISCONNECTED, "session lost at " + java.time.Instant.ofEpochMilli(since)
                    + "; nothing takes connections at " + settings.endpointUrl() + " (tried every "
                    + settings.reconnectMin() + " ms)");
        }
        executor.schedule(() -> probe(c), settings.reconnectMin(), TimeUnit.MILLISECONDS);
    }

    /** Drops the client and opens a new session at once. */
    private void replace(OpcUaClient c) {
        client = null;
        subscriptions.forget();
        recovering = true;
        c.disconnect();
        backoff = settings.reconnectMin();
        connect();
    }

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
        long silent = System.currentTimeMillis() - lastActivity;
        long interval = settings.keepAliveInterval();
        if (silent < interval) {
            return;
        }
        if (silent > 3 * interval + settings.requestTimeout()) {
            LOG.warn("OPC UA connection {}: no data and no keep-alive answer for {} ms, opening a new session", id,
                    silent);
            status.set(ConnectorState.DISCONNECTED, "no answer from the server for " + silent + " ms");
            replace(c);
            return;
        }
        keepAliveReads.incrementAndGet();
        c.readValue(0.0, TimestampsToReturn.Neither, Identifiers.Server_ServerStatus_State).thenAccept(dv -> {
            if (dv.getStatusCode() == null || !dv.getStatusCode().isBad()) {
                touch();
            }
        });
    }

    private boolean reachable() {
        try {
            URI uri = URI.create(settings.endpointUrl());
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 4840),
                        (int) Math.min(settings.requestTimeout(), 1000));
                return true;
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private void recreate(OpcUaClient c) {
        if (!current(c) || subscriptions.active()) {
            return;
        }
        try {
            subscriptions.subscribe(c);
        } catch (Exception e) {
            LOG.warn("OPC UA connection {}: cannot create the subscription again: {}", id, UaErrors.describe(e));
            status.set(ConnectorState.DISCONNECTED, "cannot create the subscription: " + UaErrors.describe(e));
            executor.schedule(() -> recreate(c), settings.reconnectMin(), TimeUnit.MILLISECONDS);
        }
    }
}
