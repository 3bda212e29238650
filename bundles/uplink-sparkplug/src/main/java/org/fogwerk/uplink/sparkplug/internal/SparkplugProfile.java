package org.fogwerk.uplink.sparkplug.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.fogwerk.api.uplink.spi.ProfileContext;
import org.fogwerk.api.uplink.spi.ConnectOptions;
import org.fogwerk.api.uplink.spi.MqttSession;
import org.fogwerk.api.uplink.spi.ProfileContext;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code profile = sparkplug}: the node is a Sparkplug B edge node and each thing a device.
 *
 * <p>Values are stored in the outbox as DDATA payloads per device (metrics by alias, without
 * {@code seq}); {@link #send} adds {@code seq} in send order, marks replays
 * {@code is_historical}, and sends a DBIRTH first when the device is not born in this session
 * or the message carries a metric its birth did not list. Births, DDEATH, {@code seq} and the
 * data stream share one lock, so {@code seq} runs 0..255 without gaps in the order the broker
 * receives the messages.
 */
public final class SparkplugProfile implements ProfileSession {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugProfile.class);
    static final String REBIRTH = "Node Control/Rebirth";
    static final String BD_SEQ = "bdSeq";

    private final String uplink;
    private final SparkplugSettings sp;
    private final MetricTable metrics;
    private final DeviceCommands commands;
    private final ScheduledExecutorService checker;
    private final ThreadPoolExecutor incoming;
    private final MetricEncoder encoder;
    private final DeathCertificate death;
    private final EdgeSession session;
    private final NodeCommands nodeCommands;

    private volatile boolean nextServer;
    private volatile Consumer<String> restart = reason -> { };

    public SparkplugProfile(ProfileContext context) throws InvalidConfigurationException {
        this.uplink = context.uplink();
        this.sp = new SparkplugSettings(context.configuration(), context.node());
        try {
            this.metrics = new MetricTable(context.dataDirectory());
            this.death = new DeathCertificate(uplink, context.dataDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Sparkplug state in " + context.dataDirectory(), e);
        }
        this.encoder = new MetricEncoder(context, sp, metrics);
        this.commands = new DeviceCommands(uplink, metrics, context);
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fogwerk-uplink-" + uplink + "-devices"));
        this.incoming = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
                r -> daemon(r, "fogwerk-uplink-" + uplink + "-sparkplug"));
        this.session = new EdgeSession(context, sp, metrics, encoder, new NodeDevices(context, metrics, encoder), death,
                checker);
        this.nodeCommands = new NodeCommands(uplink, sp, commands, session, incoming, this::hostOffline);
        checker.scheduleWithFixedDelay(session::checkDevices, sp.deviceCheckMs, sp.deviceCheckMs, TimeUnit.MILLISECONDS);
        LOG.info("Uplink {}: Sparkplug B edge node {}/{}{}", uplink, sp.group, sp.edgeNode,
                sp.primaryHost.isEmpty() ? "" : ", primary host " + sp.primaryHost);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---- outbox payloads --------------------------------------------------------------------

    @Override
    public boolean engineTelemetry() {
        return false;
    }

    @Override
    public boolean batched() {
        return true;
    }

    @Override
    public boolean commands() {
        return false;
    }

    @Override
    public Encoder encoder() {
        return encoder.encoder();
    }

    // ---- session -------------------------------------------------------------------------------

    @Override
    public void restartWith(Consumer<String> restartSession) {
        this.restart = restartSession;
    }

    @Override
    public void beforeConnect(ConnectOptions options) {
        options.will(sp.ndeath, death.will(), 1, false);
        if (nextServer) {
            nextServer = false;
            options.nextServer();
        }
    }

    /** The primary host went offline: a new session, on the next server. */
    private void hostOffline(String reason) {
        nextServer = true;
        restart.accept(reason);
    }

    @Override
    public void connected(MqttSession client) throws IOException {
        death.sessionStarted();
        session.started(client);
        client.subscribe(new String[] {sp.ncmd, sp.dcmdFilter}, new int[] {1, 1});
        if (sp.state != null) {
            client.subscribe(new String[] {sp.state}, new int[] {1}); // births wait for the host's STATE online
            return;
        }
        session.births("session start");
    }

    @Override
    public boolean ready() {
        return session.ready();
    }

    @Override
    public void connectionLost() {
        session.lost();
    }

    @Override
    public void closing(MqttSession client) {
        boolean born = session.born();
        session.ending();
        if (!born) {
            return; // nothing of this session was born: a host has nothing to bury
        }
        try {
            client.publish(sp.ndeath, death.ndeath(), 1, false).toCompletableFuture().get(1000, TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.debug("Uplink {}: NDEATH before disconnecting: {}", uplink, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        incoming.shutdownNow();
        try {
            // a device check or command still running would define metrics in a closed alias table
            checker.awaitTermination(2, TimeUnit.SECONDS);
            incoming.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }

    long badCommands() {
        return commands.rejected();
    }

    // ---- data and commands ------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> send(MqttSession client, String topic, byte[] stored, int offset, long outboxSeq,
            boolean replay, int qos) throws IOException {
        return session.send(client, topic, stored, offset, outboxSeq, replay);
    }

    @Override
    public boolean messageArrived(String topic, byte[] payload) {
        return nodeCommands.messageArrived(topic, payload, false);
    }

    @Override
    public boolean messageArrived(String topic, byte[] payload, boolean retained) {
        return nodeCommands.messageArrived(topic, payload, retained);
    }
}
