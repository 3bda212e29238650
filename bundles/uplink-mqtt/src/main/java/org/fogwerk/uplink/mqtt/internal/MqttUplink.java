package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.support.log.LogThrottle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running MQTT uplink: tag values in (bus listener or {@link #submit}), durable outbox,
 * one Paho async client that streams the outbox to the broker in order, and the command topic.
 */
public final class MqttUplink implements Uplink, TagListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final UplinkSettings s;
    private final Outbox outbox;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService scheduler;
    private final Profile profile;
    private final ValueBatcher batcher;
    private final CommandTopic commands;
    private final SendLoop sendLoop;
    private final BrokerConnection connection;

    private volatile boolean running = true;

    private volatile double sentPerSecond;
    /** The counts of the uplink this one took over from when its outbox was opened again. */
    private volatile UplinkStatus before;
    private final long[] rateSamples = new long[5];
    private int rateIndex;
    private final GrowthLog droppedLog = new GrowthLog();
    private final GrowthLog refusedLog = new GrowthLog();

    private final List<CompletableFuture<Void>> flushWaiters = new CopyOnWriteArrayList<>();

    /** An uplink with the plain profile. */
    public MqttUplink(UplinkSettings settings, Path outboxDir, Supplier<WriteGateway> gateway,
            BiFunction<String, String, String> thingOf) throws Exception {
        this(settings, outboxDir, gateway, thingOf, new PlainProfile(settings));
    }

    /** An uplink with the session of a profile installed as an {@link org.fogwerk.api.uplink.spi.UplinkProfile}. */
    public MqttUplink(UplinkSettings settings, Path outboxDir, Supplier<WriteGateway> gateway,
            BiFunction<String, String, String> thingOf, ProfileSession profile) throws Exception {
        this(settings, outboxDir, gateway, thingOf, new SpiProfile(settings, profile));
    }

    MqttUplink(UplinkSettings settings, Path outboxDir, Supplier<WriteGateway> gateway,
            BiFunction<String, String, String> thingOf, Profile profile) throws Exception {
        this.s = settings;
        this.profile = profile;
        MqttConnectOptions options = options(settings);
        this.batcher = new ValueBatcher(s, profile, thingOf, this::store);
        this.outbox = new Outbox(s.name, outboxDir, s.outboxMaxBytes, s.outboxMaxMessages,
                s.fullPolicy == UplinkSettings.FullPolicy.DROP_OLDEST, s.commitMs,
                profile.batched() ? batcher::sealLingering : null, this::committed);
        try {
            this.client = new MqttAsyncClient(s.brokerUrls[0], s.clientId, new MemoryPersistence());
        } catch (MqttException e) {
            outbox.close();
            throw new InvalidConfigurationException(null, "client.id", e.getMessage());
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fogwerk-uplink-" + s.name));
        this.commands = new CommandTopic(s, gateway, client);
        this.sendLoop = new SendLoop(s, outbox, profile, client);
        this.connection = new BrokerConnection(s, client, options, profile, outbox, sendLoop, commands, scheduler,
                () -> running);
        profile.restartWith(connection::restartSession);
        sendLoop.start();
        scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        scheduler.execute(connection::connect);
        if (profile.jsonPayloads()) {
            LOG.info("Uplink {}: publishing to {} as {} (topic {}, payload {}, QoS {})", s.name,
                    String.join(",", s.brokerUrls), s.clientId, s.topic, s.payload, s.qos);
        } else {
            // the profile chooses topics and payloads itself (Sparkplug B): topic.template and payload are not used
            LOG.info("Uplink {}: publishing to {} as {} (the profile's own topics and payloads)", s.name,
                    String.join(",", s.brokerUrls), s.clientId);
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static MqttConnectOptions options(UplinkSettings s) throws InvalidConfigurationException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setServerURIs(s.brokerUrls);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(s.keepalive);
        o.setConnectionTimeout(s.connectTimeout);
        o.setMaxInflight(s.maxInflight + 32); // room for command replies beside the outbox window
        if (!s.username.isEmpty()) {
            o.setUserName(s.username);
            o.setPassword(s.password);
        }
        if (s.tls) {
            o.setSocketFactory(TlsContexts.socketFactory(s));
            o.setHttpsHostnameVerificationEnabled(s.hostnameVerification);
        }
        return o;
    }

    /** The batcher's way into the outbox, which is made after it. */
    private Outbox.Append store(byte[] record) {
        return outbox.append(record);
    }

    /** Called by the outbox writer after each group commit, from its first one on. */
    private void committed() {
        SendLoop loop = sendLoop;
        if (loop != null) { // a commit before the send loop exists has nothing to wake
            loop.committed();
        }
    }

    // ---- values in ------------------------------------------------------------------------

    @Override
    public String name() {
        return s.name;
    }

    @Override
    public void onValues(List<TagValue> values) {
        batcher.fromListener(values);
    }

    @Override
    public CompletionStage<Void> submit(List<TagValue> values) {
        int refused = batcher.submitted(values);
        if (refused > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("uplink " + s.name
                    + ": outbox full, " + refused + " of " + values.size() + " values refused"));
        }
        return outbox.commitFuture();
    }

    // ---- status ---------------------------------------------------------------------------------

    private void tick() {
        connection.resetBackoffIfHeld();
        long total = sendLoop.sent();
        rateSamples[rateIndex % rateSamples.length] = total;
        rateIndex++;
        int n = Math.min(rateIndex, rateSamples.length);
        long oldest = rateSamples[(rateIndex - n) % rateSamples.length];
        sentPerSecond = n > 1 ? (double) (total - oldest) / (n - 1) : 0;
        long dropped = outbox.dropped();
        long newlyDropped = droppedLog.growth(dropped);
        if (newlyDropped > 0) {
            LOG.warn("Uplink {}: outbox full ({} messages, {} bytes): dropped {} oldest messages ({} in all)", s.name,
                    outbox.depth(), outbox.bytes(), newlyDropped, dropped);
        }
        long refused = batcher.refusedFull();
        long newlyRefused = refusedLog.growth(refused);
        if (newlyRefused > 0) {
            LOG.warn("Uplink {}: outbox full ({} messages, {} bytes): refused {} new values ({} in all)", s.name,
                    outbox.depth(), outbox.bytes(), newlyRefused, refused);
        }
        checkFlushWaiters();
    }

    private void checkFlushWaiters() {
        if (!flushWaiters.isEmpty() && outbox.depth() == 0) {
            for (CompletableFuture<Void> f : flushWaiters) {
                f.complete(null);
            }
            flushWaiters.clear();
        }
    }

    @Override
    public CompletionStage<Void> flush() {
        batcher.sealListenerBatches();
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (outbox.depth() == 0) {
            f.complete(null);
            return f;
        }
        flushWaiters.add(f);
        // checked every 20 ms until empty
        scheduler.schedule(new Runnable() {
            @Override
            public void run() {
                checkFlushWaiters();
                if (!f.isDone() && running) {
                    scheduler.schedule(this, 20, TimeUnit.MILLISECONDS);
                }
            }
        }, 20, TimeUnit.MILLISECONDS);
        return f;
    }

    long refused() {
        return batcher.refusedFull() + batcher.refusedOversized();
    }

    /**
     * What an uplink has counted, for the one that replaces it: its status, and the values refused
     * per topic not yet marked as a gap on a message of the topic.
     */
    record Counted(UplinkStatus status, Map<String, Long> gaps) {
    }

    /** What this uplink has counted so far. */
    Counted counted() {
        return new Counted(status(), batcher.gaps());
    }

    /**
     * Counts on from the uplink this one replaces after its outbox was opened again or its file
     * changed, so what was sent, dropped and refused before stays counted, and the values refused
     * still show as a {@code "gap"} on their topic's next message.
     */
    void countOnFrom(Counted previous) {
        this.before = previous.status();
        batcher.carryGaps(previous.gaps());
    }

    /** Nanoseconds since the outbox could not write; 0 while it can. */
    long outboxFailedFor() {
        return outbox.failedFor();
    }

    /** Why the outbox cannot write, or {@code null} while it can. */
    String outboxFailure() {
        return outbox.failure();
    }

    @Override
    public UplinkStatus status() {
        long oldest = outbox.oldestEnqueueTime();
        Duration age = oldest == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldest));
        String error = connection.lastError();
        long refused = batcher.refusedFull();
        String failure = outbox.failure();
        if (failure != null) {
            // first: what makes the uplink FAILED, and what it does about it
            error = "the outbox " + failure + ": " + outbox.lost() + " messages lost, " + refused + " values refused"
                    + " since; it is opened again every " + Outbox.REOPEN_SECONDS + " s" + (error.isEmpty() ? "" : "; "
                    + error);
        } else if (refused > 0) {
            error = (error.isEmpty() ? "" : error + "; ") + "outbox full: " + refused + " values refused";
        }
        long tooLarge = batcher.refusedOversized();
        if (tooLarge > 0) {
            error = (error.isEmpty() ? "" : error + "; ") + tooLarge + " values refused: message larger than "
                    + "max.packet.bytes " + s.maxPacketBytes;
        }
        long ignored = connection.ignored();
        if (ignored > 0) {
            error = (error.isEmpty() ? "" : error + "; ") + ignored + " incoming messages ignored: neither the profile"
                    + " nor the command topic takes them";
        }
        if (failure == null && connection.state() == UplinkState.CONNECTED && !profile.ready()) {
            // connected, and yet nothing goes: say why the outbox grows
            error = (error.isEmpty() ? "" : error + "; ") + "connected; data waits until the profile is ready to"
                    + " send (Sparkplug: its births, after the primary host's STATE online when"
                    + " sparkplug.primary.host.id is set)";
        }
        UplinkStatus b = before;
        return new UplinkStatus(failure != null ? UplinkState.FAILED : connection.state(), error, connection.since(),
                outbox.depth(), age, sentPerSecond, sendLoop.sent() + (b == null ? 0 : b.sent()),
                sendLoop.replayed() + (b == null ? 0 : b.replayed()),
                outbox.dropped() + outbox.lost() + (b == null ? 0 : b.dropped()),
                refused + tooLarge + (b == null ? 0 : b.refused()),
                outbox.quarantinedCount() + (b == null ? 0 : b.quarantined()), outbox.bytes());
    }

    @Override
    public void close() {
        running = false;
        sendLoop.sessionEnded();
        scheduler.shutdownNow();
        commands.close();
        sendLoop.stop();
        batcher.sealListenerBatches();
        try {
            if (client.isConnected()) {
                profile.closing(client);
                client.disconnect(0).waitForCompletion(1000);
            }
        } catch (MqttException e) {
            LOG.debug("Uplink {}: disconnect: {}", s.name, e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("Uplink {}: close: {}", s.name, e.getMessage());
        }
        profile.close();
        outbox.close();
        for (CompletableFuture<Void> f : flushWaiters) {
            f.completeExceptionally(new IllegalStateException("uplink " + s.name + " stopped"));
        }
        LOG.info("Uplink {}: stopped, {} messages left in the outbox", s.name, outbox.depth());
    }

    /**
     * A count that only grows (dropped or refused values), logged with what it grew by, as often
     * as its throttle lets a line through. Only touched by the status tick.
     */
    private static final class GrowthLog {
        private final LogThrottle throttle = new LogThrottle(LOG_EVERY);
        private long logged;

        /** What the count grew by since it was last logged; 0 when there is nothing to log now. */
        long growth(long count) {
            if (count <= logged || throttle.admit() < 0) {
                return 0;
            }
            long grown = count - logged;
            logged = count;
            return grown;
        }
    }
}
