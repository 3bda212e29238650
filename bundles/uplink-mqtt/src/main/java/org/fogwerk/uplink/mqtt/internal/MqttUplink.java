package org.fogwerk.uplink.mqtt.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One running MQTT uplink: tag values in (bus listener or {@link #submit}), durable outbox,
 * one Paho async client that streams the outbox to the broker in order, and the command topic.
 */
public final class MqttUplink implements Uplink, TagListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);
    private static final long LOG_EVERY_MILLIS = 30_000;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final UplinkSettings s;
    private final Supplier<WriteGateway> gateway;
    private final BiFunction<String, String, String> thingOf;
    private final Outbox outbox;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor commands;
    private final Thread sender;
    private final Profile profile;
    private final Profile.Encoder listenerEncoder;

    private volatile boolean running = true;
    private volatile UplinkState state = UplinkState.CONNECTING;
    private volatile String lastError = "";
    private volatile Instant since = Instant.now();
    private volatile Connection connection;
    /** A group commit added messages since the sender last looked at the live head. */
    private volatile boolean liveCommitted = true;
    private volatile long backoff;
    private volatile boolean endedByProfile;
    private volatile long connectedAt;

    /** Room for {@code "seq":N,"replayed":true,} spliced in when sent. */
    private static final int SPLICED_FIELDS = 48;

    /** Values refused per topic since the topic's last accepted message; guarded by itself. */
    private final Map<String, Long> refusedByTopic = new java.util.HashMap<>();
    /** Values refused because the outbox was full (policy refuse). */
    private final AtomicLong refusedValues = new AtomicLong();
    /** Values refused because their message would be larger than the broker takes. */
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private volatile double sentPerSecond;
    private final long[] rateSamples = new long[5];
    private int rateIndex;
    private long lastRefusedLog;
    private long lastDroppedLog;
    private long droppedLogged;
    private long refusedLogged;

    /** json-batch: batches still filling, by topic; guarded by itself. */
    private final Map<String, OpenBatch> open = new LinkedHashMap<>();
    private final List<CompletableFuture<Void>> flushWaiters = new CopyOnWriteArrayList<>();

    /**
     * One broker session. Two cursors share its in-flight window: the live head (messages
     * committed after the session began) and the replay tail (what waited out the outage). Live
     * messages may use the whole window and have a reserved share of it the replay cannot take,
     * so fresh values keep flowing while a backlog drains; each cursor keeps outbox order.
     */
    private final class Connection {
        final Semaphore shared;
        final Semaphore liveOnly;
        final SendCursor live;
        final SendCursor replay;
        /** The live head had a message it could not send yet; only the sender thread uses it. */
        boolean liveWaiting = true;

        Connection(int window, long firstStored, long committed) {
            int reserved = window / 4;
            this.shared = new Semaphore(window - reserved);
            this.liveOnly = new Semaphore(reserved);
            this.replay = new SendCursor(outbox, firstStored, committed);
            this.live = new SendCursor(outbox, committed, Long.MAX_VALUE);
        }
    }

    private static final class OpenBatch {
        final String thing;
        final List<TagValue> values = new ArrayList<>();
        final long started = System.nanoTime();
        int bytes;

        OpenBatch(String thing) {
            this.thing = thing;
        }
    }

    MqttUplink(UplinkSettings settings, Path outboxDir, Supplier<WriteGateway> gateway,
            BiFunction<String, String, String> thingOf) throws Exception {
        this(settings, outboxDir, gateway, thingOf, new PlainProfile(settings));
    }

    public MqttUplink(UplinkSettings settings, Path outboxDir, Supplier<WriteGateway> gateway,
            BiFunction<String, String, String> thingOf, Profile profile) throws Exception {
        this.s = settings;
        this.gateway = gateway;
        this.thingOf = thingOf;
        this.profile = profile;
        this.listenerEncoder = profile.encoder();
        this.options = options(settings);
        this.outbox = new Outbox(s.name, outboxDir, s.outboxMaxBytes, s.outboxMaxMessages,
                s.fullPolicy == UplinkSettings.FullPolicy.DROP_OLDEST, s.commitMs,
                profile.batched() ? this::sealLingering : null, this::committed);
        try {
            this.client = new MqttAsyncClient(s.brokerUrls[0], s.clientId, new MemoryPersistence());
        } catch (MqttException e) {
            outbox.close();
            throw new ConfigException("client.id", e.getMessage());
        }
        this.client.setCallback(new Callback());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fogwerk-uplink-" + s.name));
        this.commands = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(100),
                r -> daemon(r, "fogwerk-uplink-" + s.name + "-commands"));
        this.sender = daemon(this::sendLoop, "fogwerk-uplink-" + s.name + "-sender");
        this.backoff = s.reconnectMinMs;
        profile.restartWith(this::restartSession);
        sender.start();
        scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        scheduler.execute(this::connect);
        LOG.info("Uplink {}: publishing to {} as {} (topic {}, payload {}, QoS {})", s.name,
                String.join(",", s.brokerUrls), s.clientId, s.topic, s.payload, s.qos);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static MqttConnectOptions options(UplinkSettings s) throws ConfigException {
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

    // ---- values in ------------------------------------------------------------------------

    @Override
    public String name() {
        return s.name;
    }

    @Override
    public void onValues(List<TagValue> values) {
        synchronized (listenerEncoder) {
            accept(values, listenerEncoder, false);
        }
    }

    @Override
    public CompletionStage<Void> submit(List<TagValue> values) {
        int refused = accept(values, profile.encoder(), true);
        if (refused > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("uplink " + s.name
                    + ": outbox full, " + refused + " of " + values.size() + " values refused"));
        }
        return outbox.commitFuture();
    }

    /** Filters, encodes and appends; returns how many were refused. */
    private int accept(List<TagValue> values, Profile.Encoder encoder, boolean sealNow) {
        int refused = 0;
        long now = System.currentTimeMillis();
        for (int i = 0, n = values.size(); i < n; i++) {
            TagValue v = values.get(i);
            String thing = thingOf.apply(v.connectionId(), v.tag());
            if (!s.things.matches(thing) || !s.tags.matchesTag(v.connectionId(), v.tag())) {
                continue;
            }
            String topic = encoder.topic(v.connectionId(), thing, v);
            if (!profile.batched()) {
                refused += append(topic, encoder.single(v, thing), now, 1);
            } else {
                refused += addToBatch(topic, thing, v, encoder);
            }
        }
        if (sealNow && profile.batched()) {
            refused += sealAll(encoder, true);
        }
        return refused;
    }

    /**
     * Appends one message carrying {@code values} values; returns how many values were refused. A
     * refusal (outbox full with policy refuse, or larger than the broker takes) is counted per
     * topic and marked on the topic's next message, so a consumer sees the gap.
     */
    private int append(String topic, byte[] payload, long enqueueMillis, int values) {
        synchronized (refusedByTopic) {
            Long gap = refusedByTopic.get(topic);
            byte[] stored = gap != null && profile.jsonPayloads() ? PayloadEncoder.withGap(payload, gap) : payload;
            byte[] record = Outbox.record(topic, stored, enqueueMillis);
            if (packetSize(record) > s.maxPacketBytes) {
                oversized.addAndGet(values);
                refusedByTopic.merge(topic, (long) values, Long::sum);
                LOG.warn("Uplink {}: a message of {} bytes to {} is larger than max.packet.bytes {}; {} values "
                        + "refused", s.name, record.length, topic, s.maxPacketBytes, values);
                return values;
            }
            if (outbox.append(record) == Outbox.Append.REFUSED) {
                refusedValues.addAndGet(values);
                refusedByTopic.merge(topic, (long) values, Long::sum);
                return values;
            }
            if (gap != null) {
                refusedByTopic.remove(topic);
            }
            return 0;
        }
    }

    /** The size of the PUBLISH packet the record becomes: header, topic, packet id, payload with seq and flags. */
    static long packetSize(byte[] record) {
        int offset = Outbox.payloadOffset(record);
        long topicBytes = offset - Outbox.HEADER;
        long payload = record.length - offset + SPLICED_FIELDS;
        return 5 + 2 + topicBytes + 2 + payload;
    }

    private int addToBatch(String topic, String thing, TagValue v, Profile.Encoder encoder) {
        synchronized (open) {
            OpenBatch b = open.computeIfAbsent(topic, t -> new OpenBatch(thing));
            int size = PayloadEncoder.estimate(v);
            int refused = 0;
            if (!b.values.isEmpty() && b.bytes + size > s.batchMaxBytes) {
                refused += seal(topic, b, encoder);
                open.remove(topic);
                b = new OpenBatch(thing);
                open.put(topic, b);
            }
            b.values.add(v);
            b.bytes += size;
            if (b.values.size() >= s.batchMaxValues) {
                refused += seal(topic, b, encoder);
                open.remove(topic);
            }
            return refused;
        }
    }

    private int seal(String topic, OpenBatch b, Profile.Encoder encoder) {
        return append(topic, encoder.batch(b.thing, b.values), System.currentTimeMillis(), b.values.size());
    }

    private int sealAll(Profile.Encoder encoder, boolean all) {
        int refused = 0;
        long lingerNanos = TimeUnit.MILLISECONDS.toNanos(s.batchLingerMs);
        long now = System.nanoTime();
        synchronized (open) {
            var it = open.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (all || now - e.getValue().started >= lingerNanos) {
                    refused += seal(e.getKey(), e.getValue(), encoder);
                    it.remove();
                }
            }
        }
        return refused;
    }

    /** Called by the outbox writer before each group commit. */
    private void sealLingering() {
        synchronized (listenerEncoder) {
            sealAll(listenerEncoder, false);
        }
    }

    // ---- connection -------------------------------------------------------------------------

    private void connect() {
        if (!running) {
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
        long first = outbox.first();
        long committed = outbox.committedUpTo();
        // everything already in the outbox now waited out the (re)connect: it is a replay
        connection = new Connection(s.maxInflight, first < 0 ? committed : first, committed);
        setState(UplinkState.CONNECTED, "");
        LOG.info("Uplink {}: connected to {}, {} messages waiting in the outbox", s.name,
                client.getCurrentServerURI(), outbox.depth());
        wakeSender();
        if (s.commandTopic != null && profile.commands()) {
            try {
                client.subscribe(s.commandTopic, 1);
            } catch (MqttException e) {
                LOG.warn("Uplink {}: cannot subscribe to {}: {}", s.name, s.commandTopic, e.getMessage());
            }
        }
    }

    /** Ends the session cleanly and connects again, at the profile's request. */
    private void restartSession(String reason) {
        try {
            scheduler.execute(() -> {
                if (!running || connection == null) {
                    return;
                }
                connection = null;
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
        if (!running) {
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
            connection = null;
            String reason = describe(cause);
            LOG.warn("Uplink {}: connection lost: {}; {} messages wait in the outbox", s.name, reason, outbox.depth());
            setState(UplinkState.DISCONNECTED, reason);
            profile.connectionLost();
            try {
                scheduler.execute(MqttUplink.this::scheduleReconnect);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (profile.messageArrived(topic, message)) {
                return;
            }
            byte[] payload = message.getPayload();
            try {
                commands.execute(() -> command(topic, payload));
            } catch (RejectedExecutionException e) {
                String thing = topic.substring(topic.lastIndexOf('/') + 1);
                reply(thing, error(429, "too many commands waiting", null));
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // acknowledged through each publish's own listener
        }
    }

    // ---- sending ------------------------------------------------------------------------------

    private void wakeSender() {
        LockSupport.unpark(sender);
    }

    /** What one attempt to send the next message of a cursor did. */
    private enum Step { SENT, WAITING, NOTHING }

    /** Called by the outbox writer after each group commit. */
    private void committed() {
        liveCommitted = true;
        wakeSender();
    }

    private void sendLoop() {
        while (running) {
            Connection c = connection;
            if (c == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (!profile.ready()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            // one of each per round: the live head first, then the replay tail. The live head is
            // only looked at when a commit added something or it had more to send, so a replay
            // does not pay for a second lookup per message
            boolean progressed = false;
            if (liveCommitted || c.liveWaiting) {
                liveCommitted = false; // cleared before the lookup: a commit after it sets it again
                Step live = sendNext(c, c.live, false);
                c.liveWaiting = live != Step.NOTHING;
                progressed = live == Step.SENT;
            }
            if (!c.replay.done()) {
                progressed |= sendNext(c, c.replay, true) == Step.SENT;
            }
            if (!progressed) {
                // woken by a commit or an acknowledgement
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** Sends the cursor's next message if the window has room. */
    private Step sendNext(Connection c, SendCursor cursor, boolean replay) {
        long seq = cursor.next();
        if (seq < 0) {
            return Step.NOTHING;
        }
        if (outbox.isQuarantined(seq)) {
            cursor.sent(seq);
            return Step.SENT;
        }
        byte[] record = null;
        String topic;
        try {
            record = outbox.get(seq);
            if (record == null) {
                cursor.sent(seq); // acknowledged or dropped meanwhile
                return Step.SENT;
            }
            topic = Outbox.topic(record);
        } catch (Outbox.DamagedRecord e) {
            outbox.quarantine(seq, e.record(), e.getMessage());
            cursor.sent(seq);
            return Step.SENT;
        } catch (RuntimeException e) {
            outbox.quarantine(seq, record, "cannot be read: " + e);
            cursor.sent(seq);
            return Step.SENT;
        }
        Semaphore permit = c.shared.tryAcquire() ? c.shared
                : !replay && c.liveOnly.tryAcquire() ? c.liveOnly : null;
        if (permit == null) {
            return Step.WAITING;
        }
        if (connection != c) {
            permit.release();
            return Step.WAITING;
        }
        try {
            profile.send(client, topic, record, Outbox.payloadOffset(record), seq, replay, s.qos,
                    new Acknowledged(seq, replay, permit));
            cursor.sent(seq);
            return Step.SENT;
        } catch (MqttException e) {
            permit.release();
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            } else if (connection == c) {
                LOG.debug("Uplink {}: publish of {} failed: {}", s.name, seq, e.getMessage());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            return Step.WAITING;
        } catch (RuntimeException e) {
            // the client refused this message's content (a topic that is not UTF-8, a payload the
            // profile cannot encode): it will never go, and must not hold up the ones behind it
            permit.release();
            outbox.quarantine(seq, record, "cannot be published: " + e);
            cursor.sent(seq);
            return Step.SENT;
        }
    }

    private final class Acknowledged implements IMqttActionListener {
        private final long seq;
        private final boolean replay;
        private final Semaphore permit;

        Acknowledged(long seq, boolean replay, Semaphore permit) {
            this.seq = seq;
            this.replay = replay;
            this.permit = permit;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            outbox.delivered(seq);
            sent.incrementAndGet();
            if (replay) {
                replayed.incrementAndGet();
            }
            permit.release();
            wakeSender();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            // stays in the outbox; sent again after the reconnect
            permit.release();
        }
    }

    // ---- commands -----------------------------------------------------------------------------

    private void command(String topic, byte[] payload) {
        String thing = topic.substring(topic.lastIndexOf('/') + 1);
        String clientToken = null;
        try {
            if (payload.length > s.commandMaxBytes) {
                reply(thing, error(413, "the payload has " + payload.length + " bytes, more than "
                        + s.commandMaxBytes, null));
                return;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
            } catch (CharacterCodingException e) {
                reply(thing, error(400, "the payload is not UTF-8", null));
                return;
            }
            JsonNode doc;
            try {
                doc = MAPPER.readTree(text);
            } catch (Exception e) {
                reply(thing, error(400, "the payload is not valid JSON", null));
                return;
            }
            if (doc == null || !doc.isObject()) {
                reply(thing, error(400, "the payload must be a JSON object (a shadow update document)", null));
                return;
            }
            JsonNode token = doc.get("clientToken");
            clientToken = token != null && token.isTextual() ? token.asText() : null;
            WriteGateway door = gateway.get();
            if (door == null) {
                reply(thing, error(503, "the write gateway is not available (it needs the shadow store and the audit "
                        + "trail)", clientToken));
                return;
            }
            Caller caller = Caller.of(Source.MQTT_COMMAND, "uplink " + s.name + ", topic " + topic
                    + (clientToken == null ? "" : ", clientToken " + clientToken));
            byte[] accepted = door.updateShadow(caller, thing, ShadowStore.CLASSIC, payload);
            reply(thing, accepted);
        } catch (ShadowException e) {
            reply(thing, error(e.code(), e.getMessage(), e.clientToken() != null ? e.clientToken() : clientToken));
        } catch (RuntimeException e) {
            LOG.warn("Uplink {}: command for {} failed: {}", s.name, thing, e.toString());
            reply(thing, error(500, "internal error: " + e.getMessage(), clientToken));
        }
    }

    static byte[] error(int code, String message, String clientToken) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("code", code);
            g.writeStringField("message", message == null ? "" : message);
            g.writeNumberField("timestamp", System.currentTimeMillis() / 1000);
            if (clientToken != null) {
                g.writeStringField("clientToken", clientToken);
            }
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void reply(String thing, byte[] payload) {
        String topic = s.replyTopic.render(s.node, null, thing, null);
        if (packetSize(Outbox.record(topic, payload, 0)) > s.maxPacketBytes) {
            // the broker would close the connection on it: say so instead
            payload = error(413, "the answer has " + payload.length + " bytes, more than the broker takes"
                    + " (max.packet.bytes " + s.maxPacketBytes + ")", null);
        }
        try {
            client.publish(topic, payload, 1, false);
        } catch (MqttException | RuntimeException e) {
            LOG.warn("Uplink {}: cannot publish the reply to {}: {}", s.name, topic, e.getMessage());
        }
    }

    // ---- status ---------------------------------------------------------------------------------

    private void tick() {
        if (connection != null && !endedByProfile && backoff > s.reconnectMinMs
                && System.nanoTime() - connectedAt > TimeUnit.SECONDS.toNanos(30)) {
            backoff = s.reconnectMinMs; // the session held: the next loss starts from the shortest wait
        }
        long total = sent.get();
        rateSamples[rateIndex % rateSamples.length] = total;
        rateIndex++;
        int n = Math.min(rateIndex, rateSamples.length);
        long oldest = rateSamples[(rateIndex - n) % rateSamples.length];
        sentPerSecond = n > 1 ? (double) (total - oldest) / (n - 1) : 0;
        long now = System.currentTimeMillis();
        long dropped = outbox.dropped();
        if (dropped > droppedLogged && now - lastDroppedLog >= LOG_EVERY_MILLIS) {
            LOG.warn("Uplink {}: outbox full ({} messages, {} bytes): dropped {} oldest messages ({} in all)", s.name,
                    outbox.depth(), outbox.bytes(), dropped - droppedLogged, dropped);
            droppedLogged = dropped;
            lastDroppedLog = now;
        }
        long refused = refusedValues.get();
        if (refused > refusedLogged && now - lastRefusedLog >= LOG_EVERY_MILLIS) {
            LOG.warn("Uplink {}: outbox full ({} messages, {} bytes): refused {} new values ({} in all)", s.name,
                    outbox.depth(), outbox.bytes(), refused - refusedLogged, refused);
            refusedLogged = refused;
            lastRefusedLog = now;
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
        if (profile.batched()) {
            synchronized (listenerEncoder) {
                sealAll(listenerEncoder, true);
            }
        }
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
        return refusedValues.get() + oversized.get();
    }

    @Override
    public UplinkStatus status() {
        long oldest = outbox.oldestEnqueueTime();
        Duration age = oldest == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldest));
        String error = lastError;
        long refused = refusedValues.get();
        if (refused > 0) {
            error = (error.isEmpty() ? "" : error + "; ") + "outbox full: " + refused + " values refused";
        }
        long tooLarge = oversized.get();
        if (tooLarge > 0) {
            error = (error.isEmpty() ? "" : error + "; ") + tooLarge + " values refused: message larger than "
                    + "max.packet.bytes " + s.maxPacketBytes;
        }
        return new UplinkStatus(state, error, since, outbox.depth(), age, sentPerSecond, sent.get(), replayed.get(),
                outbox.dropped(), refused + tooLarge, outbox.quarantinedCount(), outbox.bytes());
    }

    @Override
    public void close() {
        running = false;
        connection = null;
        scheduler.shutdownNow();
        commands.shutdownNow();
        LockSupport.unpark(sender);
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (profile.batched()) {
            synchronized (listenerEncoder) {
                sealAll(listenerEncoder, true);
            }
        }
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
}
