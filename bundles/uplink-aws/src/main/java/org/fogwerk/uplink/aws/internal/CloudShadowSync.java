package org.fogwerk.uplink.aws.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.spi.MqttSession;
import org.fogwerk.support.concurrent.Termination;
import org.fogwerk.uplink.aws.internal.SyncFailure.Conflict;
import org.fogwerk.uplink.aws.internal.SyncFailure.Failed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
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
    record Pending(JsonNode cloud, boolean readCloud, boolean full) {
        Pending and(Pending later) {
            JsonNode newer = cloud == null ? later.cloud : later.cloud == null ? cloud
                    : later.cloud.path("version").asLong() >= cloud.path("version").asLong() ? later.cloud : cloud;
            return new Pending(newer, readCloud || later.readCloud, full || later.full);
        }
    }

    private final String uplink;
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final Direction direction;
    private final SyncBook book;
    private final CloudRequests requests;
    private final ShadowSyncStep step;
    private final ScheduledExecutorService worker;
    private final Runnable unregister;
    private final Map<String, Pending> queued = new ConcurrentHashMap<>();
    private final AtomicInteger fullSyncLeft = new AtomicInteger();
    private volatile long fullSyncStarted;
    private volatile long lastFullSyncMillis = -1;
    private final AtomicLong conflicts = new AtomicLong();
    /** Conflicts of a shadow since its last successful sync; worker thread only. */
    private final Map<String, Integer> conflictsInRow = new java.util.HashMap<>();
    /** Shadows with a retry scheduled (one at a time, however many events ran into conflicts). */
    private final java.util.Set<String> retrying = ConcurrentHashMap.newKeySet();

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
        this.book = new SyncBook(dataDir);
        this.requests = new CloudRequests(uplink, replyTimeoutMs);
        this.step = new ShadowSyncStep(uplink, direction, shadows, gateway, book, requests);
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
    public void connected(MqttSession c) {
        requests.connected(c);
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
                c.subscribe(chunk, qos).whenComplete((granted, e) -> {
                    if (e != null) {
                        LOG.warn("Uplink {}: cannot subscribe to the shadow topics: {}; synchronising after the next "
                                + "reconnect", uplink, e.getMessage());
                        return;
                    }
                    for (int i = 0; i < granted.length; i++) {
                        if (granted[i] == 0x80) {
                            LOG.error("Uplink {}: the broker refused the subscription to {}: check the policy of "
                                    + "the certificate (iot:Subscribe, iot:Receive on the shadow topics)", uplink,
                                    chunk[Math.min(i, chunk.length - 1)]);
                        }
                    }
                    if (left.decrementAndGet() == 0) {
                        requests.online(true);
                        fullSync();
                    }
                });
            } catch (java.io.IOException e) {
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

    /** Desired state comes through the shadow, not on {@code command.topic}. */
    @Override
    public boolean commands() {
        return false;
    }

    @Override
    public void connectionLost() {
        requests.connectionLost();
    }

    @Override
    public boolean messageArrived(String topic, byte[] payload) {
        ShadowTopics.Topic t = ShadowTopics.parse(topic);
        if (t == null) {
            return false;
        }
        if (t.request()) {
            return true;
        }
        JsonNode doc = ShadowJson.parse(payload);
        String token = ShadowJson.clientToken(doc);
        boolean answer = t.reply().equals("accepted") || t.reply().equals("rejected");
        if (answer && token != null && requests.answered(token, t.reply().equals("accepted"), doc)) {
            return true;
        }
        String key = SyncBook.key(t.thing(), t.shadow());
        if (!targets.containsKey(key) || requests.ours(token) || doc == null
                || direction == Direction.DEVICE_TO_CLOUD) {
            return true;
        }
        if (t.op().equals("update") && t.reply().equals("documents") && doc.get("current") instanceof ObjectNode cur) {
            // the client token of the cloud-side change goes with it, for the audit trail
            ObjectNode hint = cur.deepCopy();
            if (token != null) {
                hint.put(ShadowSyncStep.CLOUD_TOKEN, token);
            }
            enqueue(key, new Pending(hint, false, false));
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
                    && !requests.ours(clientToken)) {
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
            step.sync(t, p);
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
            if (requests.online() && e.retryMs > 0) {
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
        requests.online(false);
        unregister.run();
        worker.shutdownNow();
        Termination.await(worker, 5);
        book.close();
    }
}
