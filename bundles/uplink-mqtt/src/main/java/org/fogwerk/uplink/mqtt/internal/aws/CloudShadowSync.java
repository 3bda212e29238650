package org.fogwerk.uplink.mqtt.internal.aws;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keeps shadows of the local store in step with their AWS IoT cloud shadows (specs/shadow.md,
 * "Local and cloud shadows"). Changes on either side travel at once over the
 * {@code $aws/things/.../shadow} topics; after every (re)connect each shadow gets a full
 * three-way merge against the last state both sides agreed on, kept in a {@link SyncBook}.
 *
 * <p>One worker thread does all syncing, one shadow at a time. Writes the sync makes carry a
 * client token of its own, so their echoes (local listener events, cloud documents events) are
 * recognised and do not travel back. A version conflict (409) on either side is resolved by
 * reading both sides again and merging again, at most {@value #MAX_ATTEMPTS} times with a
 * growing pause; after that the shadow waits for its next change or the next reconnect.
 */
public final class CloudShadowSync implements ShadowSession {

    private static final Logger LOG = LoggerFactory.getLogger(CloudShadowSync.class);
    /** Merges of one shadow in a row that may end in a version conflict before it waits for its next change. */
    public static final int MAX_ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MS = 200;
    private static final long STORE_RETRY_MS = 5000;
    /** AWS IoT Core's limit of topic filters in one SUBSCRIBE. */
    private static final int FILTERS_PER_SUBSCRIBE = 8;

    /** Which way changes travel ({@code aws.sync.direction}). */
    public enum Direction {
        BOTH("both"), DEVICE_TO_CLOUD("device-to-cloud"), CLOUD_TO_DEVICE("cloud-to-device");

        private final String key;

        Direction(String key) {
            this.key = key;
        }

        /** The direction of a configuration value, or {@code null} when there is none of that name. */
        public static Direction of(String value) {
            for (Direction d : values()) {
                if (d.key.equals(value)) {
                    return d;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return key;
        }
    }

    /** One synchronised shadow; {@code shadow} is empty for the classic one. */
    public record Target(String thing, String shadow) {
        String key() {
            return SyncBook.key(thing, shadow);
        }
    }

    /** What a queued sync of one shadow knows: a cloud document from an event, whether to read the cloud. */
    private record Pending(JsonNode cloud, boolean readCloud, boolean full) {
        Pending and(Pending later) {
            JsonNode newer = cloud == null ? later.cloud : later.cloud == null ? cloud
                    : later.cloud.path("version").asLong() >= cloud.path("version").asLong() ? later.cloud : cloud;
            return new Pending(newer, readCloud || later.readCloud, full || later.full);
        }
    }

    private record Reply(boolean accepted, JsonNode doc) {
        int code() {
            return doc == null ? 0 : doc.path("code").asInt();
        }

        String message() {
            return doc == null ? "" : doc.path("message").asText();
        }
    }

    /** A version conflict on one side: merge again. */
    private static final class Conflict extends Exception {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** Cannot sync now (no answer, store away, refused): try again later. */
    private static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final long retryMs;

        Failed(String message, long retryMs) {
            super(message, null, false, false);
            this.retryMs = retryMs;
        }
    }

    private final String uplink;
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final Direction direction;
    private final Supplier<ShadowStore> shadows;
    private final Supplier<WriteGateway> gateway;
    private final long replyTimeoutMs;
    private final SyncBook book;
    private final ScheduledExecutorService worker;
    private final Runnable unregister;
    private final String tokenPrefix;
    private final AtomicLong tokens = new AtomicLong();
    private final Map<String, Pending> queued = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Reply>> replies = new ConcurrentHashMap<>();
    private final AtomicInteger fullSyncLeft = new AtomicInteger();
    private volatile long fullSyncStarted;
    private volatile long lastFullSyncMillis = -1;
    private final AtomicLong conflicts = new AtomicLong();
    /** Conflicts of a shadow since its last successful sync; worker thread only. */
    private final Map<String, Integer> conflictsInRow = new java.util.HashMap<>();
    /** Shadows with a retry scheduled (one at a time, however many events ran into conflicts). */
    private final java.util.Set<String> retrying = ConcurrentHashMap.newKeySet();
    private volatile MqttAsyncClient client;
    private volatile boolean online;

    /**
     * @param dataDir where the sync book lives
     * @param listen  registers a listener with the shadow store and returns how to unregister it
     */
    public CloudShadowSync(String uplink, List<Target> targets, Direction direction, Supplier<ShadowStore> shadows,
            Supplier<WriteGateway> gateway, Path dataDir, long replyTimeoutMs, Function<ShadowListener, Runnable> listen) throws IOException {
        this.uplink = uplink;
        for (Target t : targets) {
            this.targets.put(t.key(), t);
        }
        this.direction = direction;
        this.shadows = shadows;
        this.gateway = gateway;
        this.replyTimeoutMs = replyTimeoutMs;
        this.book = new SyncBook(dataDir);
        String name = uplink.length() > 30 ? uplink.substring(0, 30) : uplink;
        this.tokenPrefix = "fogwerk-sync-" + name + "-";
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fogwerk-uplink-" + uplink + "-shadow-sync");
            t.setDaemon(true);
            return t;
        });
        this.unregister = listen.apply(new LocalChanges());
        LOG.info("Uplink {}: synchronising {} shadows with AWS IoT ({})", uplink, targets.size(), direction);
    }

    // ---- session ---------------------------------------------------------------------------

    @Override
    public void connected(MqttAsyncClient c) {
        client = c;
        String[] filters = targets.values().stream().map(t -> ShadowTopics.prefix(t.thing(), t.shadow()) + "/+/+")
                .toArray(String[]::new);
        // AWS IoT Core refuses a SUBSCRIBE with more than 8 topic filters: one request per 8 shadows
        AtomicInteger left = new AtomicInteger((filters.length + FILTERS_PER_SUBSCRIBE - 1) / FILTERS_PER_SUBSCRIBE);
        for (int from = 0; from < filters.length; from += FILTERS_PER_SUBSCRIBE) {
            String[] chunk = java.util.Arrays.copyOfRange(filters, from,
                    Math.min(filters.length, from + FILTERS_PER_SUBSCRIBE));
            int[] qos = new int[chunk.length];
            java.util.Arrays.fill(qos, 1);
            try {
                c.subscribe(chunk, qos, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        int[] granted = token.getGrantedQos();
                        for (int i = 0; granted != null && i < granted.length; i++) {
                            if (granted[i] == 0x80) {
                                LOG.error("Uplink {}: the broker refused the subscription to {}: check the policy of "
                                        + "the certificate (iot:Subscribe, iot:Receive on the shadow topics)", uplink,
                                        chunk[Math.min(i, chunk.length - 1)]);
                            }
                        }
                        if (left.decrementAndGet() == 0) {
                            online = true;
                            fullSync();
                        }
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        LOG.warn("Uplink {}: cannot subscribe to the shadow topics: {}; synchronising after the next "
                                + "reconnect", uplink, e.getMessage());
                    }
                });
            } catch (MqttException e) {
                LOG.warn("Uplink {}: cannot subscribe to the shadow topics: {}", uplink, e.getMessage());
                return;
            }
        }
    }

    private void fullSync() {
        fullSyncStarted = System.nanoTime();
        fullSyncLeft.set(targets.size());
        for (String key : targets.keySet()) {
            enqueue(key, new Pending(null, true, true));
        }
    }

    @Override
    public void connectionLost() {
        online = false;
        for (CompletableFuture<Reply> f : replies.values()) {
            f.completeExceptionally(new IllegalStateException("connection lost"));
        }
    }

    @Override
    public boolean messageArrived(String topic, MqttMessage message) {
        ShadowTopics.Topic t = ShadowTopics.parse(topic);
        if (t == null) {
            return false;
        }
        if (t.request()) {
            return true;
        }
        JsonNode doc = ShadowJson.parse(message.getPayload());
        String token = ShadowJson.clientToken(doc);
        boolean answer = t.reply().equals("accepted") || t.reply().equals("rejected");
        if (answer && token != null) {
            CompletableFuture<Reply> f = replies.get(token);
            if (f != null) {
                f.complete(new Reply(t.reply().equals("accepted"), doc));
                return true;
            }
        }
        String key = SyncBook.key(t.thing(), t.shadow());
        if (!targets.containsKey(key) || (token != null && token.startsWith(tokenPrefix)) || doc == null
                || direction == Direction.DEVICE_TO_CLOUD) {
            return true;
        }
        if (t.op().equals("update") && t.reply().equals("documents") && doc.get("current") instanceof ObjectNode cur) {
            enqueue(key, new Pending(cur, false, false));
        } else if (t.op().equals("delete") && t.reply().equals("accepted")) {
            enqueue(key, new Pending(null, true, false));
        }
        return true;
    }

    /** Local changes made by anyone but the sync itself. */
    private final class LocalChanges implements ShadowListener {
        @Override
        public void accepted(ShadowDocument previous, ShadowDocument current, String clientToken) {
            local(current.thing(), current.shadow(), clientToken, false);
        }

        @Override
        public void deleted(String thing, String shadow, long version, String clientToken) {
            local(thing, shadow, clientToken, true);
        }

        private void local(String thing, String shadow, String clientToken, boolean deleted) {
            String key = SyncBook.key(thing, shadow);
            if (direction != Direction.CLOUD_TO_DEVICE && targets.containsKey(key)
                    && (clientToken == null || !clientToken.startsWith(tokenPrefix))) {
                enqueue(key, new Pending(null, deleted, false));
            }
        }
    }

    private void enqueue(String key, Pending p) {
        if (queued.merge(key, p, Pending::and) == p) {
            try {
                worker.execute(() -> run(key));
            } catch (RejectedExecutionException e) {
                queued.remove(key);
            }
        }
    }

    /** Reads both sides again after a pause; one retry per shadow at a time. */
    private void retry(String key, long delayMs) {
        if (!retrying.add(key)) {
            return;
        }
        try {
            worker.schedule(() -> {
                retrying.remove(key);
                enqueue(key, new Pending(null, true, false));
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            retrying.remove(key);
        }
    }

    // ---- one shadow -------------------------------------------------------------------------

    private void run(String key) {
        Pending p = queued.remove(key);
        if (p == null) {
            return;
        }
        Target t = targets.get(key);
        try {
            sync(t, p);
            conflictsInRow.remove(key);
        } catch (Conflict e) {
            conflicts.incrementAndGet();
            int n = conflictsInRow.merge(key, 1, Integer::sum);
            if (n < MAX_ATTEMPTS) {
                long delay = (FIRST_BACKOFF_MS << (n - 1)) + ThreadLocalRandom.current().nextLong(FIRST_BACKOFF_MS);
                LOG.debug("Uplink {}: shadow {}: {}; merging again in {} ms", uplink, key, e.getMessage(), delay);
                retry(key, delay);
            } else {
                conflictsInRow.remove(key);
                LOG.warn("Uplink {}: shadow {}: still in conflict after {} merges ({}); trying again on its next "
                        + "change or reconnect", uplink, key, MAX_ATTEMPTS, e.getMessage());
            }
        } catch (Failed e) {
            if (online && e.retryMs > 0) {
                LOG.warn("Uplink {}: shadow {} not synchronised: {}; trying again in {} ms", uplink, key,
                        e.getMessage(), e.retryMs);
                retry(key, e.retryMs);
            } else {
                LOG.warn("Uplink {}: shadow {} not synchronised: {}", uplink, key, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("Uplink {}: shadow {} not synchronised: {}", uplink, key, e.toString(), e);
        } finally {
            if (p.full() && fullSyncLeft.decrementAndGet() == 0) {
                lastFullSyncMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fullSyncStarted);
                LOG.info("Uplink {}: full shadow sync of {} shadows in {} ms", uplink, targets.size(),
                        lastFullSyncMillis);
            }
        }
    }

    /** The write gateway, or a failure to retry while it is away. */
    private WriteGateway door() throws Failed {
        WriteGateway g = gateway.get();
        if (g == null) {
            throw new Failed("the write gateway is not available (it needs the shadow store and the audit trail)",
                    STORE_RETRY_MS);
        }
        return g;
    }

    private Caller caller(String clientToken) {
        return Caller.of(Source.AWS_CLOUD, "uplink " + uplink + ", clientToken " + clientToken);
    }

    private void sync(Target t, Pending p) throws Conflict, Failed {
        if (!online) {
            return; // the full sync after the reconnect covers it
        }
        ShadowStore store = shadows.get();
        if (store == null) {
            throw new Failed("the shadow store is not available", STORE_RETRY_MS);
        }
        String key = t.key();
        SyncBook.Entry entry = book.get(key);

        ShadowDocument local;
        try {
            local = store.get(t.thing(), t.shadow());
        } catch (ShadowException e) {
            if (e.code() != 404) {
                throw new Failed("local shadow: " + e.getMessage(), STORE_RETRY_MS);
            }
            local = null;
        }
        ObjectNode localState = local == null ? ShadowMerge.empty() : ShadowMerge.stateOf(stateDoc(local));
        ObjectNode base = entry == null ? ShadowMerge.empty() : entry.base();
        if (direction == Direction.DEVICE_TO_CLOUD) {
            push(t, entry, base, local, localState);
            return;
        }

        ObjectNode cloudState;
        long cloudVersion;
        boolean cloudExists;
        JsonNode hint = p.cloud();
        if (!p.readCloud() && hint != null && (entry == null || hint.path("version").asLong() > entry.cloudVersion())) {
            cloudState = ShadowMerge.stateOf(hint);
            cloudVersion = hint.path("version").asLong();
            cloudExists = true;
        } else if (!p.readCloud() && entry != null) {
            // nothing new heard from the cloud: it is where the last sync left it; a 409 says otherwise
            if ((local == null ? 0 : local.version()) == entry.localVersion()) {
                return; // neither side moved since the last sync (an echo or an old event)
            }
            cloudState = entry.base();
            cloudVersion = entry.cloudVersion();
            cloudExists = cloudVersion > 0;
        } else {
            Reply r = request(t, "get", JsonNodeFactory.instance.objectNode());
            if (r.accepted()) {
                cloudState = ShadowMerge.stateOf(r.doc());
                cloudVersion = r.doc().path("version").asLong();
                cloudExists = true;
            } else if (r.code() == 404) {
                cloudState = ShadowMerge.empty();
                cloudVersion = 0;
                cloudExists = false;
            } else {
                throw new Failed("get refused by the cloud: " + r.code() + " " + r.message(), retryOf(r));
            }
        }

        if (direction == Direction.CLOUD_TO_DEVICE) {
            pull(store, t, entry, base, local, cloudExists ? cloudState : null, cloudVersion);
            return;
        }
        ObjectNode merged = ShadowMerge.merge(base, localState, cloudState);
        boolean gone = entry != null && ShadowMerge.isEmpty(merged);
        long localVersion = writeLocal(store, t, local, localState, merged, gone && !cloudExists);
        long newCloudVersion = writeCloud(t, cloudExists, cloudVersion, cloudState, merged, gone && local == null);
        if (localVersion == 0 && newCloudVersion == 0) {
            book.remove(key);
        } else {
            book.put(key, new SyncBook.Entry(merged, localVersion, newCloudVersion));
        }
    }

    /**
     * device-to-cloud: what changed on the node since the last sync goes to the cloud; fields
     * only the cloud has stay there and do not come down.
     */
    private void push(Target t, SyncBook.Entry entry, ObjectNode base, ShadowDocument local, ObjectNode localState)
            throws Failed {
        long localVersion = local == null ? 0 : local.version();
        if (entry != null && localVersion == entry.localVersion()) {
            return;
        }
        if (local == null) {
            if (entry != null) {
                Reply r = request(t, "delete", JsonNodeFactory.instance.objectNode());
                if (!r.accepted() && r.code() != 404) {
                    throw new Failed("delete refused by the cloud: " + r.code() + " " + r.message(), retryOf(r));
                }
                book.remove(t.key());
            }
            return;
        }
        long cloudVersion = entry == null ? 0 : entry.cloudVersion();
        ObjectNode patch = ShadowMerge.patch(base, localState);
        if (!patch.isEmpty()) {
            ObjectNode request = JsonNodeFactory.instance.objectNode();
            request.set("state", patch);
            Reply r = request(t, "update", request);
            if (!r.accepted()) {
                throw new Failed("update refused by the cloud: " + r.code() + " " + r.message(), retryOf(r));
            }
            cloudVersion = r.doc().path("version").asLong();
        }
        book.put(t.key(), new SyncBook.Entry(localState, localVersion, cloudVersion));
    }

    /**
     * cloud-to-device: what changed in the cloud since the last sync comes to the node; fields
     * only the node has stay there and do not go up. {@code cloudState} is null when the cloud
     * shadow does not exist.
     */
    private void pull(ShadowStore store, Target t, SyncBook.Entry entry, ObjectNode base, ShadowDocument local,
            ObjectNode cloudState, long cloudVersion) throws Failed {
        try {
            if (cloudState == null) {
                if (entry != null && local != null) {
                    String token = token();
                    door().deleteShadow(caller(token), t.thing(), t.shadow(), null, token);
                }
                book.remove(t.key());
                return;
            }
            long localVersion = local == null ? 0 : local.version();
            ObjectNode patch = ShadowMerge.patch(base, cloudState);
            if (!patch.isEmpty()) {
                ObjectNode request = JsonNodeFactory.instance.objectNode();
                request.set("state", patch);
                String token = token();
                request.put("clientToken", token);
                JsonNode answer = ShadowJson.parse(door().updateShadow(caller(token), t.thing(), t.shadow(),
                        ShadowJson.bytes(request)));
                localVersion = answer.path("version").asLong();
            }
            book.put(t.key(), new SyncBook.Entry(cloudState, localVersion, cloudVersion));
        } catch (ShadowException e) {
            if (e.code() == 404) {
                book.remove(t.key());
                return;
            }
            throw new Failed("local shadow refused the cloud's change: " + e.code() + " " + e.getMessage(),
                    e.code() == 429 || e.code() == 500 ? STORE_RETRY_MS : 0);
        }
    }

    /** Brings the local shadow to {@code merged}; returns its version afterwards (0: none). */
    private long writeLocal(ShadowStore store, Target t, ShadowDocument local, ObjectNode localState,
            ObjectNode merged, boolean delete) throws Conflict, Failed {
        try {
            if (delete) {
                if (local == null) {
                    return 0;
                }
                String token = token();
                door().deleteShadow(caller(token), t.thing(), t.shadow(), local.version(), token);
                return 0;
            }
            ObjectNode patch = ShadowMerge.patch(localState, merged);
            if (patch.isEmpty()) {
                return local == null ? 0 : local.version();
            }
            ObjectNode request = JsonNodeFactory.instance.objectNode();
            request.set("state", patch);
            if (local != null) {
                request.put("version", local.version());
            }
            String token = token();
            request.put("clientToken", token);
            JsonNode answer = ShadowJson.parse(door().updateShadow(caller(token), t.thing(), t.shadow(),
                    ShadowJson.bytes(request)));
            return answer.path("version").asLong();
        } catch (ShadowException e) {
            if (e.code() == 409 || e.code() == 404) {
                throw new Conflict("local shadow changed meanwhile: " + e.getMessage());
            }
            throw new Failed("local shadow refused the merge: " + e.code() + " " + e.getMessage(),
                    e.code() == 429 || e.code() == 500 ? STORE_RETRY_MS : 0);
        }
    }

    /** Brings the cloud shadow to {@code merged}; returns its version afterwards (0: none). */
    private long writeCloud(Target t, boolean exists, long version, ObjectNode cloudState, ObjectNode merged,
            boolean delete) throws Conflict, Failed {
        if (delete) {
            if (!exists) {
                return 0;
            }
            Reply r = request(t, "delete", JsonNodeFactory.instance.objectNode());
            if (!r.accepted() && r.code() != 404) {
                throw new Failed("delete refused by the cloud: " + r.code() + " " + r.message(), retryOf(r));
            }
            return 0;
        }
        ObjectNode patch = ShadowMerge.patch(cloudState, merged);
        if (patch.isEmpty()) {
            return exists ? version : 0;
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.set("state", patch);
        if (exists) {
            request.put("version", version);
        }
        Reply r = request(t, "update", request);
        if (r.accepted()) {
            return r.doc().path("version").asLong();
        }
        if (r.code() == 409) {
            throw new Conflict("cloud shadow changed meanwhile: " + r.message());
        }
        throw new Failed("update refused by the cloud: " + r.code() + " " + r.message(), retryOf(r));
    }

    /** Throttling and internal errors pass; a refusal for a bad document or policy needs someone to act. */
    private static long retryOf(Reply r) {
        return r.code() == 429 || r.code() >= 500 ? 2000 : 0;
    }

    private static JsonNode stateDoc(ShadowDocument d) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("state", ShadowJson.state(d));
        return root;
    }

    private String token() {
        return tokenPrefix + tokens.incrementAndGet();
    }

    private Reply request(Target t, String op, ObjectNode payload) throws Failed {
        MqttAsyncClient c = client;
        if (c == null || !online) {
            throw new Failed("not connected", 0);
        }
        String token = token();
        payload.put("clientToken", token);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        replies.put(token, answer);
        try {
            c.publish(ShadowTopics.prefix(t.thing(), t.shadow()) + "/" + op, ShadowJson.bytes(payload), 1, false);
            return answer.get(replyTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (MqttException e) {
            throw new Failed(op + ": cannot publish: " + e.getMessage(), 1000);
        } catch (TimeoutException e) {
            throw new Failed(op + ": no answer from the cloud within " + replyTimeoutMs + " ms", 2000);
        } catch (ExecutionException e) {
            throw new Failed(op + ": " + e.getCause().getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("stopping", 0);
        } finally {
            replies.remove(token);
        }
    }

    // ---- status and stop --------------------------------------------------------------------

    /** How long the last full sync after a connect took, -1 before the first finished. */
    public long lastFullSyncMillis() {
        return lastFullSyncMillis;
    }

    /** Version conflicts met so far. */
    public long conflicts() {
        return conflicts.get();
    }

    @Override
    public void close() {
        online = false;
        unregister.run();
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        book.close();
    }
}
