package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.h2.mvstore.MVMap;
import org.fogwerk.support.shadow.ShadowText;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow store. Requests are checked on the caller's thread, then one writer thread applies
 * them in order, commits the MVStore once per batch and forces it to disk before it answers the
 * callers (group commit): an update that returned is on disk. Reads never wait for the writer;
 * they see only committed documents.
 */
@Component(service = ShadowStore.class, immediate = true, configurationPid = "org.fogwerk.shadow")
@Designate(ocd = ShadowStoreConfig.class)
public final class ShadowStoreImpl implements ShadowStore {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowStoreImpl.class);
    /** AWS IoT lets a re-created shadow continue the version of one deleted within 48 hours. */
    private static final long VERSION_MEMORY_SECONDS = 48 * 3600;
    private static final int MAX_BATCH = 4096;
    private static final long IDLE_POLL_MS = 100;
    /** Disk commits between two compactions (about 3 ms each for a few MiB). */
    private static final int COMPACT_EVERY_COMMITS = 500;
    /**
     * Committed documents whose parsed form is kept too (see {@link CommittedShadows}): the stored
     * bytes of all of them, and of the largest one.
     */
    private static final long PARSED_BUDGET_BYTES = 256 * 1024;
    private static final int LARGEST_PARSED_BYTES = 2048;

    /** Settings in plain form, so tests need no annotation instance. */
    public record Settings(Path dataDir, int maxStateBytes, int maxDepth, int maxInflight, long commitMaxDelayMs,
            int eventQueue) {
    }

    private final Settings settings;
    private final ShadowDocuments docs;
    private final StoreFile file;
    private final MVMap<String, byte[]> shadows;
    private final MVMap<String, long[]> deleted;
    private final CommittedShadows committed = new CommittedShadows(PARSED_BUDGET_BYTES, LARGEST_PARSED_BYTES);
    private final BlockingQueue<Op> queue;
    private final Thread writer;
    private final EventDispatcher events;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private volatile boolean running = true;
    private int commitsSinceCompact;
    /** Runs on the writer before each batch; tests hold the writer with it. */
    volatile Runnable beforeBatch = () -> { };

    @Activate
    public ShadowStoreImpl(ShadowStoreConfig config, BundleContext context) throws IOException {
        this(openLogged(settings(LenientConfig.of(ShadowStoreConfig.class, config, "etc/org.fogwerk.shadow.cfg"),
                context == null ? null : context.getProperty("karaf.data"))));
    }

    private static Settings openLogged(Settings settings) throws IOException {
        try {
            java.nio.file.Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            LOG.error("Shadow store cannot use its folder {} (data.dir): {}", settings.dataDir(), e.toString());
            throw e;
        }
        return settings;
    }

    public ShadowStoreImpl(Settings settings) throws IOException {
        this.settings = settings;
        this.docs = new ShadowDocuments(settings.maxStateBytes(), settings.maxDepth());
        this.file = StoreFile.open(settings.dataDir(), docs);
        this.shadows = file.shadows;
        this.deleted = file.deleted;
        this.queue = new ArrayBlockingQueue<>(settings.maxInflight());
        this.events = new EventDispatcher(settings.eventQueue());
        this.writer = new Thread(this::writeLoop, "fogwerk-shadow-writer");
        this.writer.setDaemon(true);
        this.writer.start();
        LOG.info("Shadow store {} open: {} shadows, state limit {} bytes, depth {}, {} requests in flight",
                settings.dataDir().resolve(StoreFile.FILE_NAME), shadows.size(), settings.maxStateBytes(),
                settings.maxDepth(), settings.maxInflight());
    }

    static Settings settings(ShadowStoreConfig config, String karafData) {
        String dir = config.data_dir() == null ? "" : config.data_dir().trim();
        Path dataDir;
        if (!dir.isEmpty()) {
            dataDir = Paths.get(dir);
        } else if (karafData != null && !karafData.isBlank()) {
            dataDir = Paths.get(karafData, "fogwerk", "shadow");
        } else {
            dataDir = Paths.get("data", "fogwerk", "shadow");
        }
        return new Settings(dataDir,
                clamp("max.state.bytes", config.max_state_bytes(), 1024, 65536),
                clamp("max.depth", config.max_depth(), 1, 32),
                clamp("max.inflight", config.max_inflight(), 1, 1_000_000),
                clamp("commit.max.delay.ms", (int) Math.min(Integer.MAX_VALUE, config.commit_max_delay_ms()), 0, 1000),
                10_000);
    }

    private static int clamp(String key, int value, int min, int max) {
        if (value < min || value > max) {
            int used = Math.max(min, Math.min(max, value));
            LOG.warn("Shadow store configuration {}: {} is outside {}..{}, using {}", key, value, min, max, used);
            return used;
        }
        return value;
    }

    @Deactivate
    void deactivate() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending("the shadow store is stopping");
        events.stop();
        try {
            file.close();
        } catch (RuntimeException e) {
            LOG.error("Closing shadow store {} failed: {}", settings.dataDir(), e.toString());
        }
    }

    /** Closes like a component deactivation; for tests and tools. */
    public void close() {
        deactivate();
    }

    // ---------------------------------------------------------------- listeners

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addListener(ShadowListener listener) {
        events.add(listener);
    }

    public void removeListener(ShadowListener listener) {
        events.remove(listener);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public ShadowDocument get(String thing, String shadow) throws ShadowException {
        String name = shadow == null ? CLASSIC : shadow;
        ShadowDocuments.checkNames(thing, name, null);
        StoredShadow s = read(key(thing, name));
        if (s == null) {
            throw notFound(thing, name, null);
        }
        return toDocument(thing, name, s);
    }

    private StoredShadow read(String key) throws ShadowException {
        CommittedShadows.Entry c = committed.get(key);
        if (c == null) {
            byte[] bytes = shadows.get(key);
            // the writer marks a key before it first writes it, so a second look tells whether
            // what was just read might not be committed yet
            c = committed.get(key);
            if (c == null) {
                return bytes == null ? null : parseStored(key, bytes);
            }
        }
        return c.document(b -> parseStored(key, b));
    }

    private StoredShadow parseStored(String key, byte[] bytes) throws ShadowException {
        try {
            return docs.fromStoredBytes(bytes);
        } catch (IOException | RuntimeException e) {
            throw new ShadowException(500, "shadow " + key + " cannot be read: " + e.getMessage(), null);
        }
    }

    ShadowDocument toDocument(String thing, String shadow, StoredShadow s) {
        return new ShadowDocument(thing, shadow, ShadowDocuments.toMap(s.desired()),
                ShadowDocuments.toMap(s.reported()), ShadowDocuments.toMap(s.delta()),
                ShadowDocuments.toMap(s.metadata()), s.version(), s.timestamp());
    }

    @Override
    public Set<String> things() {
        Set<String> things = new TreeSet<>();
        for (String key : committedKeys()) {
            things.add(key.substring(0, key.indexOf('/')));
        }
        return things;
    }

    @Override
    public List<String> shadows(String thing) {
        List<String> names = new ArrayList<>();
        String prefix = thing + "/";
        for (String key : committedKeys()) {
            if (key.startsWith(prefix)) {
                names.add(key.substring(prefix.length()));
            }
        }
        return names;
    }

    /** Keys of existing shadows, committed ones only. */
    private Set<String> committedKeys() {
        Set<String> keys = new TreeSet<>();
        Iterator<String> it = shadows.keyIterator(null);
        while (it.hasNext()) {
            String k = it.next();
            if (!committed.touched(k)) {
                keys.add(k);
            }
        }
        committed.forEachPresent(keys::add);
        return keys;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public byte[] update(String thing, String shadow, byte[] requestJson) throws ShadowException {
        String name = shadow == null ? CLASSIC : shadow;
        ShadowDocuments.Request request;
        try {
            request = docs.parse(requestJson);
        } catch (ShadowException e) {
            ShadowDocuments.checkNames(thing, name, e.clientToken());
            throw e;
        }
        ShadowDocuments.checkNames(thing, name, request.clientToken());
        Op op = new Op(thing, name, request, null, true);
        return (byte[]) submit(op);
    }

    @Override
    public ShadowDocument update(String thing, String shadow, ShadowUpdate update) throws ShadowException {
        String name = shadow == null ? CLASSIC : shadow;
        ShadowDocuments.checkNames(thing, name, update.clientToken());
        ShadowDocuments.Request request = docs.fromObjects(update.desired(), update.reported(), update.removeDesired(),
                update.removeReported(), update.version(), update.clientToken(), update.annotations());
        Op op = new Op(thing, name, request, null, false);
        return (ShadowDocument) submit(op);
    }

    @Override
    public void delete(String thing, String shadow, Long expectedVersion) throws ShadowException {
        delete(thing, shadow, expectedVersion, null);
    }

    @Override
    public long delete(String thing, String shadow, Long expectedVersion, String clientToken) throws ShadowException {
        String name = shadow == null ? CLASSIC : shadow;
        ShadowDocuments.checkNames(thing, name, clientToken);
        ShadowText.checkClientToken(clientToken);
        Op op = new Op(thing, name, null, expectedVersion, false);
        op.deleteToken = clientToken;
        return (Long) submit(op);
    }

    private Object submit(Op op) throws ShadowException {
        String token = op.token();
        if (!running) {
            throw new ShadowException(500, "the shadow store is stopped", token);
        }
        if (!queue.offer(op)) {
            throw new ShadowException(429, "too many requests in flight: " + settings.maxInflight()
                    + " are waiting for the writer", token);
        }
        if (!running && queue.remove(op)) {
            // stopped between the check and the offer, after the writer left
            throw new ShadowException(500, "the shadow store is stopped", token);
        }
        try {
            return op.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShadowException(500, "interrupted while waiting for the writer; the request may still be applied",
                    token);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ShadowException se) {
                throw se;
            }
            throw new ShadowException(500, "internal error: " + e.getCause(), token);
        }
    }

    /** One queued request: an update when {@code request} is set, else a delete. */
    private static final class Op {
        final String thing;
        final String shadow;
        final String key;
        final ShadowDocuments.Request request;
        final Long expectedVersion;
        final boolean jsonAnswer;
        final CompletableFuture<Object> result = new CompletableFuture<>();
        Object answer;
        ShadowException refusal;
        StoredShadow before;
        StoredShadow after;
        String deleteToken;

        String token() {
            return request == null ? deleteToken : request.clientToken();
        }

        Op(String thing, String shadow, ShadowDocuments.Request request, Long expectedVersion, boolean jsonAnswer) {
            this.thing = thing;
            this.shadow = shadow;
            this.key = key(thing, shadow);
            this.request = request;
            this.expectedVersion = expectedVersion;
            this.jsonAnswer = jsonAnswer;
        }
    }

    static String key(String thing, String shadow) {
        return thing + "/" + shadow;
    }

    /**
     * The writer never gets interrupted: an interrupt during a file operation would close
     * MVStore's file channel. It polls, and leaves when stopped and the queue is empty.
     */
    private void writeLoop() {
        List<Op> batch = new ArrayList<>();
        Map<String, CommittedShadows.Entry> pending = new LinkedHashMap<>();
        while (true) {
            Op first;
            try {
                first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    if (settings.commitMaxDelayMs() > 0 && running) {
                        gather(batch);
                    }
                }
            } catch (InterruptedException e) {
                // not expected; keep the batch taken so far and carry on
                Thread.interrupted();
            }
            if (batch.isEmpty()) {
                if (!running) {
                    return;
                }
                file.snapshotIfDue();
                continue;
            }
            beforeBatch.run();
            writeBatch(batch, pending);
            batch.clear();
            pending.clear();
            file.snapshotIfDue();
        }
    }

    private void gather(List<Op> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.commitMaxDelayMs());
        while (batch.size() < MAX_BATCH) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Op more = queue.poll(left, TimeUnit.NANOSECONDS);
            if (more == null) {
                return;
            }
            batch.add(more);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    private void writeBatch(List<Op> batch, Map<String, CommittedShadows.Entry> pending) {
        long now = System.currentTimeMillis() / 1000;
        boolean changed = false;
        try {
            for (Op op : batch) {
                try {
                    changed |= op.request != null ? applyUpdate(op, pending, now) : applyDelete(op, pending, now);
                } catch (ShadowException e) {
                    op.refusal = e;
                }
            }
            if (changed) {
                long version = file.store.commit();
                file.store.sync();
                commits.incrementAndGet();
                file.markCommitted(version);
                file.changed();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Shadow store {}: writing a batch of {} requests failed, rolled back: {}", settings.dataDir(),
                    batch.size(), e.toString());
            rollback();
            for (Op op : batch) {
                op.result.completeExceptionally(op.refusal != null ? op.refusal : new ShadowException(500,
                        "internal error, nothing was written: " + e, op.token()));
            }
            return;
        }
        committed.committed(pending);
        applied.addAndGet(batch.size());
        for (Op op : batch) {
            if (op.refusal != null) {
                op.result.completeExceptionally(op.refusal);
            } else {
                op.result.complete(op.answer);
                if (op.request != null) {
                    events.accepted(op.before == null ? null : toDocumentLater(op, op.before),
                            toDocumentLater(op, op.after), !op.after.delta().isEmpty(), op.request.clientToken());
                } else {
                    events.deleted(op.thing, op.shadow, op.before.version(), op.deleteToken);
                }
            }
        }
        if (changed && ++commitsSinceCompact >= COMPACT_EVERY_COMMITS) {
            commitsSinceCompact = 0;
            file.compact();
        }
    }

    private EventDispatcher.Doc toDocumentLater(Op op, StoredShadow s) {
        return () -> toDocument(op.thing, op.shadow, s);
    }

    private void rollback() {
        try {
            file.store.rollback();
        } catch (RuntimeException e) {
            LOG.error("Shadow store {}: rollback failed: {}", settings.dataDir(), e.toString());
        }
    }

    /** The document a request sees: this batch's result, else the committed one. */
    private StoredShadow current(String key, Map<String, CommittedShadows.Entry> pending) throws ShadowException {
        CommittedShadows.Entry c = pending.get(key);
        if (c == null) {
            c = committed.get(key);
        }
        if (c == null) {
            c = committed.mark(key, shadows.get(key));
        }
        return c.document(b -> parseStored(key, b));
    }

    private long deletedVersion(String key, long now) {
        long[] tomb = deleted.get(key);
        if (tomb == null || now - tomb[1] > VERSION_MEMORY_SECONDS) {
            return 0;
        }
        return tomb[0];
    }

    private boolean applyUpdate(Op op, Map<String, CommittedShadows.Entry> pending, long now) throws ShadowException {
        StoredShadow before = current(op.key, pending);
        long version = before != null ? before.version() : deletedVersion(op.key, now);
        ShadowDocuments.Request request = op.request;
        if (request.version() != null && request.version() != version) {
            throw new ShadowException(409, "Version conflict: the request expects version " + request.version()
                    + ", the shadow is at version " + version, request.clientToken());
        }
        file.reserveVersion(version + 1);
        ShadowDocuments.Applied result = docs.apply(before, request, version + 1, now);
        StoredShadow after = result.shadow();
        byte[] stored = docs.toStoredBytes(after);
        shadows.put(op.key, stored);
        if (before == null && deleted.containsKey(op.key)) {
            deleted.remove(op.key);
        }
        pending.put(op.key, new CommittedShadows.Entry(stored, after));
        op.before = before;
        op.after = after;
        op.answer = op.jsonAnswer ? docs.acceptedAnswer(request, result) : toDocument(op.thing, op.shadow, after);
        return true;
    }

    private boolean applyDelete(Op op, Map<String, CommittedShadows.Entry> pending, long now) throws ShadowException {
        StoredShadow before = current(op.key, pending);
        if (before == null) {
            throw notFound(op.thing, op.shadow, op.deleteToken);
        }
        if (op.expectedVersion != null && op.expectedVersion != before.version()) {
            throw new ShadowException(409, "Version conflict: the request expects version " + op.expectedVersion
                    + ", the shadow is at version " + before.version(), op.deleteToken);
        }
        shadows.remove(op.key);
        deleted.put(op.key, new long[] {before.version(), now});
        pending.put(op.key, CommittedShadows.DELETED);
        op.before = before;
        op.answer = before.version();
        return true;
    }

    private static ShadowException notFound(String thing, String shadow, String token) {
        // AWS IoT's wording; for the classic shadow it names the thing
        return new ShadowException(404, "No shadow exists with name: '" + (shadow.isEmpty() ? thing : shadow) + "'",
                token);
    }

    private void failPending(String why) {
        List<Op> left = new ArrayList<>();
        queue.drainTo(left);
        for (Op op : left) {
            op.result.completeExceptionally(new ShadowException(500, why, op.token()));
        }
    }

    @Override
    public int restoredAtStart() {
        return file.restoredFromSnapshot();
    }

    // ---------------------------------------------------------------- for tests and the benchmark

    /** Disk commits (commit + sync) since start. */
    long commitCount() {
        return commits.get();
    }

    /** Requests waiting for the writer. */
    int queued() {
        return queue.size();
    }

    /** Requests the writer has handled since start. */
    long appliedCount() {
        return applied.get();
    }

    /** File writes MVStore issued since start. */
    long fileWrites() {
        return file.store.getFileStore().getWriteCount();
    }

    @Override
    public long droppedEvents() {
        return events.dropped();
    }

    Path file() {
        return settings.dataDir().resolve(StoreFile.FILE_NAME);
    }
}
