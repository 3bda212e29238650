package org.fogwerk.broker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Moquette MQTT broker, so the node's uplink has a broker to publish to where no
 * Mosquitto runs.
 *
 * <p>Mode {@code on} starts Moquette, {@code off} never does. There is no "start if the port is
 * free" mode: a node that took the port of the site's broker while that broker was down at boot
 * kept the real broker from starting; riding out a broker outage is the outbox's job. Starting
 * happens on the component's own thread, so activation never waits. Deactivation stops Moquette
 * and returns once the port is free.
 *
 * <p>Off unless {@code etc/org.fogwerk.broker.cfg} exists; a changed configuration restarts it.
 * A bad value keeps it off, logs one ERROR line and shows in the status (state FAILED).
 */
@Component(name = EmbeddedBroker.PID, configurationPid = EmbeddedBroker.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = EmbeddedBroker.class)
@Designate(ocd = BrokerConfig.class)
public final class EmbeddedBroker {

    static final String PID = "org.fogwerk.broker";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long STOP_WAIT_SECONDS = 30;

    private final String source;
    private final String modeText;
    private final BrokerSettings settings;
    private final Path dataDir;
    private final ExecutorService thread;
    /** Only touched on {@link #thread}. */
    private Server server;
    private volatile Server runningServer;
    private volatile Snapshot snapshot;

    /** Status fields that change together. */
    private record Snapshot(BrokerState state, String endpoint, String reason, Instant since) {
    }

    @Activate
    public EmbeddedBroker(BrokerConfig config, Map<String, Object> properties) {
        this(config, properties, karafDataDir());
    }

    EmbeddedBroker(BrokerConfig config, Map<String, ?> properties, Path dataDir) {
        this.source = source(properties);
        this.modeText = BrokerSettings.rawMode(properties);
        this.dataDir = dataDir;
        BrokerSettings read;
        try {
            read = BrokerSettings.read(config, properties);
        } catch (InvalidConfigurationException e) {
            read = null;
            String reason = source + ": " + e.getMessage();
            LOG.error("{}; the embedded MQTT broker is not started", reason);
            this.snapshot = new Snapshot(BrokerState.FAILED, "", reason, Instant.now());
        }
        this.settings = read;
        if (read == null) {
            this.thread = null;
            return;
        }
        if (read.mode() == BrokerMode.OFF) {
            this.snapshot = new Snapshot(BrokerState.OFF, read.endpoint(), "mode is off", Instant.now());
            this.thread = null;
            LOG.info("Embedded MQTT broker is off ({})", source);
            return;
        }
        this.snapshot = new Snapshot(BrokerState.STARTING, read.endpoint(), "", Instant.now());
        this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named("fogwerk-broker"));
        thread.execute(this::startServer);
    }

    @Deactivate
    public void deactivate() {
        if (thread == null) {
            snapshot = new Snapshot(BrokerState.STOPPED, snapshot.endpoint(), "deactivated", Instant.now());
            return;
        }
        try {
            Future<?> stopped = thread.submit(this::stopServer);
            stopped.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Embedded MQTT broker already stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Embedded MQTT broker on {} did not stop cleanly: {}", settings.endpoint(), e.toString());
        } finally {
            thread.shutdownNow();
        }
        snapshot = new Snapshot(BrokerState.STOPPED, settings.endpoint(), "deactivated", Instant.now());
    }

    /** The broker's current state; callable from any thread. */
    public BrokerStatus status() {
        Snapshot s = snapshot;
        Server running = runningServer;
        int clients = -1;
        if (running != null && s.state() == BrokerState.RUNNING) {
            try {
                clients = running.listConnectedClients().size();
            } catch (RuntimeException e) {
                LOG.debug("Cannot list the embedded broker's clients", e);
            }
        }
        return new BrokerStatus(settings == null ? modeText : settings.mode().key(), s.state(), s.endpoint(),
                s.reason(), clients, s.since());
    }

    /** Client ids connected to the embedded broker; empty when it is not running. */
    public List<String> connectedClientIds() {
        Server running = runningServer;
        if (running == null) {
            return List.of();
        }
        try {
            return running.listConnectedClients().stream().map(c -> c.getClientID() + " " + c.getAddress() + ":"
                    + c.getPort()).sorted().toList();
        } catch (RuntimeException e) {
            LOG.debug("Cannot list the embedded broker's clients", e);
            return List.of();
        }
    }

    private void startServer() {
        Server s = new Server();
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        // Moquette and Netty load nothing through the TCCL with this configuration; set it anyway
        // so a lookup by class name would see Moquette's bundle, not whatever called us
        current.setContextClassLoader(Server.class.getClassLoader());
        try {
            IAuthenticator authenticator = settings.username().isEmpty() ? null
                    : new PasswordAuthenticator(settings.username(), settings.password());
            s.startServer(new MemoryConfig(moquetteProperties()),
                    List.of(new BrokerGuard(this::loopFailed)), null, authenticator, null);
            server = s;
            runningServer = s;
            snapshot = new Snapshot(BrokerState.RUNNING, settings.endpoint(), "", Instant.now());
            LOG.info("Embedded MQTT broker listening on {}:{} (persistence {}, packets up to {} bytes)",
                    settings.bindAddress(), settings.port(), settings.persistence() ? "in " + dataDir : "off",
                    settings.maxPacketBytes());
        } catch (IOException | RuntimeException | LinkageError e) {
            String reason = source + ": cannot start on " + settings.bindAddress() + ":" + settings.port() + ": "
                    + rootMessage(e);
            snapshot = new Snapshot(BrokerState.FAILED, settings.endpoint(), reason, Instant.now());
            LOG.error("{}", reason);
            quietlyStop(s);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /**
     * A session loop of the broker failed: its thread has ended, and the clients whose sessions it
     * ran can no longer connect. The broker is started again (every client reconnects), and the
     * status says why.
     */
    void loopFailed(Throwable error) {
        String reason = "restarted at " + Instant.now() + " after one of its session loops failed ("
                + rootMessage(error) + ")";
        LOG.error("Embedded MQTT broker on {}: {}; its clients reconnect", settings.endpoint(), reason);
        try {
            thread.execute(() -> {
                stopServer();
                startServer();
                Snapshot s = snapshot;
                if (s.state() == BrokerState.RUNNING) {
                    snapshot = new Snapshot(s.state(), s.endpoint(), reason, s.since());
                }
            });
        } catch (RejectedExecutionException e) {
            // the broker is being stopped
        }
    }

    Properties moquetteProperties() throws IOException {
        Properties p = new Properties();
        p.setProperty("host", settings.bindAddress());
        p.setProperty("port", Integer.toString(settings.port()));
        p.setProperty("allow_anonymous", Boolean.toString(settings.allowAnonymous()));
        // MQTT 3.1.1 allows an empty client id with a clean session (mosquitto_sub sends one);
        // Moquette then assigns one
        p.setProperty("allow_zero_byte_client_id", "true");
        // Moquette's default (8092 bytes) is below what the node itself publishes (json-batch up
        // to 64 KiB, shadow documents): it dropped the node's own uplink
        p.setProperty("netty.mqtt.message_size", Integer.toString(settings.maxPacketBytes()));
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("netty.epoll", "false");
        p.setProperty("netty.so_reuseaddr", "true");
        // no websocket_port, ssl_port or secure_websocket_port: setting any SSL port, even to
        // "disabled", makes Moquette try to build an SSL context; websocket is off by default
        p.setProperty("persistence_enabled", Boolean.toString(settings.persistence()));
        if (settings.persistence()) {
            Files.createDirectories(dataDir);
            p.setProperty("data_path", dataDir.toAbsolutePath() + "/");
            // one H2 MVStore file instead of the segmented queue's preallocated 64 MiB pages
            p.setProperty("persistent_queue_type", "h2");
        }
        return p;
    }

    private void stopServer() {
        Server s = server;
        server = null;
        runningServer = null;
        if (s != null) {
            quietlyStop(s);
            LOG.info("Embedded MQTT broker on {}:{} stopped", settings.bindAddress(), settings.port());
        }
    }

    private static void quietlyStop(Server s) {
        try {
            s.stopServer();
        } catch (RuntimeException e) {
            LOG.debug("Moquette stop after a failed start", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String source(Map<String, ?> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String f = String.valueOf(file);
            int slash = f.lastIndexOf('/');
            return "etc/" + (slash >= 0 ? f.substring(slash + 1) : f);
        }
        return PID;
    }

    private static Path karafDataDir() {
        String data = System.getProperty("karaf.data", "data");
        return Paths.get(data, "fogwerk", "broker");
    }
}
