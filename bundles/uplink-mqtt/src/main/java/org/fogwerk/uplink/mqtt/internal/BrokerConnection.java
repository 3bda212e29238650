package org.fogwerk.uplink.mqtt.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.support.log.LogThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uplink's broker sessions: connects, tells the send loop when a session begins and ends,
 * and connects again after a loss or at the profile's request, backing off while it fails.
 */
final class BrokerConnection {

    /** Logs as the uplink, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);

    private final UplinkSettings s;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final Profile profile;
    private final Outbox outbox;
    private final SendLoop sendLoop;
    private final CommandTopic commands;
    private final LogThrottle unclaimedLog = new LogThrottle(Duration.ofMinutes(1));
    /** Messages on a subscribed topic that neither the profile nor the command topic takes. */
    private final LongAdder ignored = new LongAdder();
    /** The command topic without its last level, the thing (its only wildcard); null without one. */
    private final String commandPrefix;
    private final ScheduledExecutorService scheduler;
    private final BooleanSupplier running;

    private volatile UplinkState state = UplinkState.CONNECTING;
    private volatile String lastError = "";
    private volatile Instant since = Instant.now();
    private volatile long backoff;
    private volatile boolean endedByProfile;
    private volatile long connectedAt;

    BrokerConnection(UplinkSettings settings, MqttAsyncClient client, MqttConnectOptions options, Profile profile,
            Outbox outbox, SendLoop sendLoop, CommandTopic commands, ScheduledExecutorService scheduler,
            BooleanSupplier running) {
        this.s = settings;
        this.client = client;
        this.options = options;
        this.profile = profile;
        this.outbox = outbox;
        this.sendLoop = sendLoop;
        this.commands = commands;
        this.scheduler = scheduler;
        this.running = running;
        this.commandPrefix = s.commandTopic == null ? null
                : s.commandTopic.substring(0, s.commandTopic.length() - 1);
        this.backoff = s.reconnectMinMs;
        client.setCallback(new Callback());
    }

    UplinkState state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    /** How many messages arrived that nothing takes (shown in the uplink's status). */
    long ignored() {
        return ignored.sum();
    }

    Instant since() {
        return since;
    }

    /** Once a session held for a while, the next loss starts again from the shortest wait. */
    void resetBackoffIfHeld() {
        if (sendLoop.inSession() && !endedByProfile && backoff > s.reconnectMinMs
                && System.nanoTime() - connectedAt > TimeUnit.SECONDS.toNanos(30)) {
            backoff = s.reconnectMinMs;
        }
    }

    void connect() {
        if (!running.getAsBoolean()) {
            return;
        }
        if (state != UplinkState.FAILED) {
            setState(UplinkState.CONNECTING, lastError);
        }
        try {
            profile.beforeConnect(options);
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    connectFailed(e);
                }
            });
        } catch (MqttException e) {
            connectFailed(e);
        } catch (RuntimeException e) {
            connectFailed(e);
        }
    }

    private void connected() {
        if (endedByProfile) {
            // the profile ended the last session (e.g. its host application went offline): keep
            // backing off, or a node would connect and leave again at the shortest interval
            endedByProfile = false;
        } else {
            backoff = s.reconnectMinMs;
        }
        connectedAt = System.nanoTime();
        try {
            profile.connected(client);
        } catch (MqttException | RuntimeException e) {
            LOG.warn("Uplink {}: setting up the session failed: {}", s.name, describe(e));
        }
        // everything already in the outbox now waited out the (re)connect: it is a replay
        sendLoop.sessionStarted();
        setState(UplinkState.CONNECTED, "");
        LOG.info("Uplink {}: connected to {}, {} messages waiting in the outbox", s.name,
                client.getCurrentServerURI(), outbox.depth());
        if (s.commandTopic != null && profile.commands()) {
            try {
                client.subscribe(s.commandTopic, 1);
            } catch (MqttException e) {
                LOG.warn("Uplink {}: cannot subscribe to {}: {}", s.name, s.commandTopic, e.getMessage());
            }
        }
    }

    /** Ends the session cleanly and connects again, at the profile's request. */
    void restartSession(String reason) {
        try {
            scheduler.execute(() -> {
                if (!running.getAsBoolean() || !sendLoop.inSession()) {
                    return;
                }
                sendLoop.sessionEnded();
                endedByProfile = true;
                setState(UplinkState.DISCONNECTED, reason);
                LOG.info("Uplink {}: ending the session: {}", s.name, reason);
                try {
                    profile.closing(client);
                    client.disconnect(0).waitForCompletion(1000);
                } catch (MqttException e) {
                    LOG.debug("Uplink {}: disconnect: {}", s.name, e.getMessage());
                }
                scheduleReconnect();
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void connectFailed(Throwable e) {
        if (!running.getAsBoolean()) {
            return;
        }
        ConnectFailures.Reason why = ConnectFailures.describe(e, s);
        String reason = why.text();
        int code = e instanceof MqttException ? ((MqttException) e).getReasonCode() : -1;
        boolean needsAction = code == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || code == MqttException.REASON_CODE_NOT_AUTHORIZED
                || code == MqttException.REASON_CODE_INVALID_CLIENT_ID
                || why.needsAction() || tlsProblem(e);
        UplinkState next = needsAction ? UplinkState.FAILED : UplinkState.DISCONNECTED;
        if (state != next || !reason.equals(lastError)) {
            LOG.warn("Uplink {}: cannot connect to {}: {}; retrying in {} ms, values wait in the outbox", s.name,
                    String.join(",", s.brokerUrls), reason, backoff);
        }
        setState(next, reason);
        scheduleReconnect();
    }

    /** Certificates and TLS settings do not fix themselves: the uplink needs someone to act. */
    private static boolean tlsProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private void scheduleReconnect() {
        long delay = backoff;
        backoff = Math.min(s.reconnectMaxMs, backoff * 2);
        try {
            scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private static String describe(Throwable e) {
        return ConnectFailures.plain(e);
    }

    private void setState(UplinkState next, String error) {
        if (next != state) {
            since = Instant.now();
        }
        state = next;
        lastError = error == null ? "" : error;
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            sendLoop.sessionEnded();
            String reason = describe(cause);
            LOG.warn("Uplink {}: connection lost: {}; {} messages wait in the outbox", s.name, reason, outbox.depth());
            setState(UplinkState.DISCONNECTED, reason);
            profile.connectionLost();
            try {
                scheduler.execute(BrokerConnection.this::scheduleReconnect);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (profile.messageArrived(topic, message)) {
                return;
            }
            // only the command topic the uplink subscribed to for commands writes: a topic a profile
            // subscribed to and did not take is not a way to the machines
            if (commandPrefix != null && profile.commands() && onCommandTopic(topic)) {
                if (message.isRetained()) {
                    commands.retained(topic, message.getPayload());
                    return;
                }
                commands.arrived(topic, message.getPayload());
                return;
            }
            ignored.increment();
            long held = unclaimedLog.admit();
            if (held >= 0) {
                LOG.warn("Uplink {}: ignored a message on {}: neither the profile nor the command topic takes it{}",
                        s.name, topic, held == 0 ? "" : " (" + held + " more since the last such line)");
            }
        }

        /** The command topic's only wildcard is its whole last level (the thing), which may be empty. */
        private boolean onCommandTopic(String topic) {
            return topic.startsWith(commandPrefix) && topic.indexOf('/', commandPrefix.length()) < 0;
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // acknowledged through each publish's own listener
        }
    }
}
