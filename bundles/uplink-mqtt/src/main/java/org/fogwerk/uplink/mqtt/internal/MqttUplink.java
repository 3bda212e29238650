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
    private final Supplier<ShadowStore> shadows;
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
    private volatile long backoff;
    private volatile boolean endedByProfile;
    private volatile long connectedAt;

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

    /** One broker session: its own in-flight window and where replay starts. */
    private static final class Connection {
        final java.util.concurrent.Semaphore window;
        final long startSeq;
        final long replayBelow;

        Connection(int window, long startSeq, long replayBelow) {
            this.window = new java.util.concurrent.Semaphore(window);
            this.startSeq = startSeq;
            this.replayBelow = replayBelow;
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

    MqttUplink(UplinkSettings settings, Path outboxDir, Supplier<ShadowStore> shadows,
            BiFunction<String, String, String> thingOf) throws Exception {
        this(settings, outboxDir, shadows, thingOf, new PlainProfile(settings));
    }

    public MqttUplink(UplinkSettings settings, Path outboxDir, Supplier<ShadowStore> shadows,
            BiFunction<String, String, String> thingOf, Profile profile) throws Exception {
        this.s = settings;
        this.shadows = shadows;
        this.thingOf = thingOf;
        this.profile = profile;
        this.listenerEncoder = profile.encoder();
        this.options = options(settings);
        this.outbox = new Outbox(s.name, outboxDir, s.outboxMaxBytes, s.outboxMaxMessages,
                s.fullPolicy == UplinkSettings.FullPolicy.DROP_OLDEST, s.commitMs,
                profile.batched() ? this::sealLingering : null, this::wakeSender);
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
                refused += append(Outbox.record(topic, encoder.single(v, thing), now));
            } else {
                refused += addToBatch(topic, thing, v, encoder);
            }
        }
        if (sealNow && profile.batched()) {
            refused += sealAll(encoder, true);
        }
        return refused;
    }

    private int append(byte[] record) {
        Outbox.Append a = outbox.append(record);
        if (a == Outbox.Append.REFUSED) {
            return 1;
        }
        return 0;
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
        return append(Outbox.record(topic, encoder.batch(b.thing, b.values), System.currentTimeMillis())) * b.values.size();
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

    private void sendLoop() {
        Connection current = null;
        long cursor = 0;
        while (running) {
            Connection c = connection;
            if (c == null) {
                current = null;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (c != current) {
                current = c;
                cursor = c.startSeq;
            }
            if (!profile.ready()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            long seq = outbox.nextStored(cursor);
            if (seq < 0) {
                cursor = Math.max(cursor, outbox.committedUpTo());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            byte[] record = outbox.get(seq);
            if (record == null) {
                cursor = seq + 1; // acknowledged or dropped meanwhile
                continue;
            }
            try {
                if (!c.window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (connection != c) {
                continue;
            }
            boolean replay = seq < c.replayBelow;
            try {
                profile.send(client, Outbox.topic(record), record, Outbox.payloadOffset(record), seq, replay, s.qos,
                        new Acknowledged(seq, replay, c));
                cursor = seq + 1;
            } catch (MqttException e) {
                c.window.release();
                if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                } else if (connection == c) {
                    LOG.debug("Uplink {}: publish of {} failed: {}", s.name, seq, e.getMessage());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            } catch (RuntimeException e) {
                c.window.release();
                LOG.warn("Uplink {}: cannot publish message {} ({}); it stays in the outbox", s.name, seq, e.toString());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private final class Acknowledged implements IMqttActionListener {
        private final long seq;
        private final boolean replay;
        private final Connection connection;

        Acknowledged(long seq, boolean replay, Connection connection) {
            this.seq = seq;
            this.replay = replay;
            this.connection = connection;
        }

        @Override
        public void onSuccess(IMqttToken token) {
            outbox.delivered(seq);
            sent.incrementAndGet();
            if (replay) {
                replayed.incrementAndGet();
            }
            connection.window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            // stays in the outbox; sent again after the reconnect
            connection.window.release();
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
            ShadowStore store = shadows.get();
            if (store == null) {
                reply(thing, error(503, "the shadow store is not available", clientToken));
                return;
            }
            byte[] accepted = store.update(thing, ShadowStore.CLASSIC, payload);
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
        long refused = outbox.refused();
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
        return outbox.refused();
    }

    @Override
    public UplinkStatus status() {
        long oldest = outbox.oldestEnqueueTime();
        Duration age = oldest == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - oldest));
        String error = lastError;
        long refused = outbox.refused();
        if (refused > 0) {
            error = (error.isEmpty() ? "" : error + "; ") + "outbox full: " + refused + " values refused";
        }
        return new UplinkStatus(state, error, since, outbox.depth(), age, sentPerSecond, sent.get(), replayed.get(),
                outbox.dropped());
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
