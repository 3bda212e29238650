package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@code shadow.mv.db}. A file that cannot be opened or read completely is moved aside as
 * {@code shadow.mv.db.damaged-<time>}; what can still be read from it (the newest readable
 * version of each shadow) goes into a fresh file, and one ERROR line says what was lost.
 */
public final class StoreFile {

    public static final String FILE_NAME = "shadow.mv.db";
    static final String SHADOWS = "shadows";
    static final String DELETED = "deleted";
    private static final Logger LOG = LoggerFactory.getLogger(StoreFile.class);
    /** How many older versions a salvage looks through for shadows the newest one cannot give. */
    private static final int SALVAGE_VERSIONS = 200;

    static final String MARKER_NAME = FILE_NAME + ".version";
    /** The shadow version high-water mark, kept apart from the store (see {@link #reserveVersion}). */
    static final String VERSIONS_NAME = FILE_NAME + ".versions";
    /** Shadow versions reserved at a time: one small forced write per block. */
    static final long VERSION_BLOCK = 1000;

    final MVStore store;
    final MVMap<String, byte[]> shadows;
    /** Deleted shadows: key -> {last version, deleted at epoch seconds}, so a new one continues the count. */
    final MVMap<String, long[]> deleted;

    /**
     * The last committed version, written (not forced) after every disk commit. The file is only
     * as old as the store or older, so a store that opens at an older version than this lost
     * data that had been acknowledged (a cut or damaged tail that MVStore silently skipped).
     */
    private FileChannel marker;
    private final ByteBuffer markerBuffer = ByteBuffer.allocate(Long.BYTES * 2);
    private Path versionsFile;
    /** No shadow has had a version above this; only the writer thread moves it. */
    private long reservedVersion;

    /** How often a changed store is copied to {@link ShadowSnapshot#FILE_NAME} (and at close). */
    static final long SNAPSHOT_EVERY_MS = 60_000;

    private Path dir;
    private long snapshotAt = System.nanoTime();
    private boolean changedSinceSnapshot;
    /** Shadows brought back from the snapshot when the store opened damaged. */
    private int restoredFromSnapshot;

    private StoreFile(MVStore store) {
        this.store = store;
        this.shadows = store.openMap(SHADOWS);
        this.deleted = store.openMap(DELETED);
    }

    private StoreFile withMarker(Path dir, ShadowDocuments docs) throws IOException {
        this.dir = dir;
        changedSinceSnapshot = restoredFromSnapshot > 0 || !Files.exists(dir.resolve(ShadowSnapshot.FILE_NAME));
        marker = FileChannel.open(dir.resolve(MARKER_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        markCommitted(store.getCurrentVersion());
        versionsFile = dir.resolve(VERSIONS_NAME);
        long reserved = readPair(versionsFile);
        // a store from before the mark existed: its own highest version is the start
        reservedVersion = reserved > 0 ? reserved : highestVersion(docs);
        writeVersions(reservedVersion);
        return this;
    }

    /**
     * Called before a shadow gets {@code version}: when it passes the reserved mark, the next
     * block is reserved in {@link #VERSIONS_NAME}, forced to disk, before the version is used. So
     * a store that loses its newest commits still knows how high versions went, and raises them
     * ({@link #raiseVersions}) instead of handing out a version a client has already seen.
     */
    void reserveVersion(long version) {
        if (version > reservedVersion) {
            long next = version + VERSION_BLOCK;
            try {
                writeVersions(next);
                reservedVersion = next;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot record the shadow version mark " + versionsFile, e);
            }
        }
    }

    private void writeVersions(long reserved) throws IOException {
        Path tmp = versionsFile.resolveSibling(VERSIONS_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(Long.BYTES * 2).putLong(reserved).putLong(~reserved).flip());
            ch.force(true);
        }
        Files.move(tmp, versionsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private long highestVersion(ShadowDocuments docs) {
        long max = 0;
        for (byte[] b : shadows.values()) {
            try {
                max = Math.max(max, docs.fromStoredBytes(b).version());
            } catch (IOException | RuntimeException e) {
                // unreadable entries were dealt with by the verification or the salvage
            }
        }
        for (long[] tomb : deleted.values()) {
            max = Math.max(max, tomb[0]);
        }
        return max;
    }

    /**
     * After a loss: every shadow and tombstone below the reserved mark continues from it, so no
     * version goes backwards (a client that saw version 97 never sees 16 again).
     */
    private void raiseVersions(Path dir, ShadowDocuments docs) {
        long floor = readPair(dir.resolve(VERSIONS_NAME));
        if (floor <= 0) {
            return;
        }
        int raised = 0;
        for (Map.Entry<String, byte[]> e : new TreeMap<>(shadows).entrySet()) {
            try {
                StoredShadow s = docs.fromStoredBytes(e.getValue());
                if (s.version() < floor) {
                    shadows.put(e.getKey(), docs.toStoredBytes(new StoredShadow(s.desired(), s.reported(),
                            s.metadata(), s.delta(), floor, s.timestamp())));
                    raised++;
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warn("Shadow {} cannot be read to raise its version: {}", e.getKey(), ex.toString());
            }
        }
        for (Map.Entry<String, long[]> e : new TreeMap<>(deleted).entrySet()) {
            if (e.getValue()[0] < floor) {
                deleted.put(e.getKey(), new long[] {floor, e.getValue()[1]});
            }
        }
        store.commit();
        store.sync();
        LOG.error("Shadow store {}: after the loss, {} shadows continue at version {} (the highest version that may"
                + " have been handed out), so no version goes backwards", dir.resolve(FILE_NAME), raised, floor);
    }

    /**
     * After damage: every shadow of the snapshot that the store lost, or holds in an older version,
     * comes back from it, unless a newer deletion is known. One ERROR line says how many.
     */
    private void restoreFromSnapshot(Path dir, ShadowDocuments docs) {
        ShadowSnapshot.Contents copy = ShadowSnapshot.read(dir);
        int newer = 0;
        for (Map.Entry<String, long[]> e : copy.deleted().entrySet()) {
            long[] known = deleted.get(e.getKey());
            if (known == null || known[0] < e.getValue()[0]) {
                deleted.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, byte[]> e : copy.shadows().entrySet()) {
            long version = storedVersion(docs, e.getValue());
            long[] tomb = deleted.get(e.getKey());
            if (version < 0 || tomb != null && tomb[0] >= version) {
                continue;
            }
            byte[] current = shadows.get(e.getKey());
            long currentVersion = current == null ? -1 : storedVersion(docs, current);
            if (currentVersion < version) {
                shadows.put(e.getKey(), e.getValue());
                restoredFromSnapshot++;
                if (current != null) {
                    newer++;
                }
            }
        }
        for (Map.Entry<String, long[]> e : copy.deleted().entrySet()) {
            byte[] current = shadows.get(e.getKey());
            if (current != null && storedVersion(docs, current) <= e.getValue()[0]) {
                shadows.remove(e.getKey());
            }
        }
        store.commit();
        store.sync();
        LOG.error("Shadow store {}: {} shadows taken back from the snapshot {} of {} ({} of them newer than the"
                + " damaged store's copy, {} missing from it){}; the store now holds {} shadows", dir.resolve(FILE_NAME),
                restoredFromSnapshot, dir.resolve(ShadowSnapshot.FILE_NAME),
                copy.writtenAt() == 0 ? "(none)" : java.time.Instant.ofEpochMilli(copy.writtenAt()), newer,
                restoredFromSnapshot - newer,
                copy.damaged() == 0 ? "" : ", " + copy.damaged() + " unreadable records of the snapshot set aside",
                shadows.size());
    }

    private static long storedVersion(ShadowDocuments docs, byte[] bytes) {
        try {
            return docs.fromStoredBytes(bytes).version();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Records a committed version; an ordinary write, no sync: it only has to survive the process. */
    void markCommitted(long version) {
        markerBuffer.clear();
        markerBuffer.putLong(version).putLong(~version).flip();
        try {
            marker.write(markerBuffer, 0);
        } catch (IOException e) {
            LOG.warn("Could not record the committed version of the shadow store: {}", e.toString());
        }
    }

    /** Rewrites sparse chunks now and then, the job MVStore's background thread would do. */
    void compact() {
        try {
            if (store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES)) {
                markCommitted(store.commit());
                store.sync();
            }
        } catch (RuntimeException e) {
            LOG.warn("Compacting shadow store failed, rolled back: {}", e.toString());
            store.rollback();
        }
    }

    private static final int COMPACT_FILL_RATE = 90;
    private static final int COMPACT_WRITE_BYTES = 4 << 20;

    int restoredFromSnapshot() {
        return restoredFromSnapshot;
    }

    /** After a commit that changed something: the snapshot is due again. */
    void changed() {
        changedSinceSnapshot = true;
    }

    /** Writes the snapshot when the store changed and the last one is {@link #SNAPSHOT_EVERY_MS} old. */
    void snapshotIfDue() {
        if (changedSinceSnapshot && System.nanoTime() - snapshotAt >= SNAPSHOT_EVERY_MS * 1_000_000) {
            snapshot();
        }
    }

    /** Only between batches: the maps then hold committed data alone. */
    private void snapshot() {
        try {
            ShadowSnapshot.write(dir, shadows, deleted);
            changedSinceSnapshot = false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not write the shadow store's snapshot {}: {}", dir.resolve(ShadowSnapshot.FILE_NAME),
                    e.toString());
        }
        snapshotAt = System.nanoTime();
    }

    void close() {
        try {
            if (changedSinceSnapshot) {
                snapshot();
            }
            store.close();
        } finally {
            try {
                marker.close();
            } catch (IOException e) {
                LOG.warn("Closing {} failed: {}", MARKER_NAME, e.toString());
            }
        }
    }

    private static long readMarker(Path dir) {
        return readPair(dir.resolve(MARKER_NAME));
    }

    /** A long written with its complement, or -1 when missing or torn. */
    private static long readPair(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            if (b.length < 16) {
                return -1;
            }
            ByteBuffer buf = ByteBuffer.wrap(b);
            long v = buf.getLong();
            return buf.getLong() == ~v ? v : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The version in MVStore's own file header (hex), written at clean close and now and then. */
    private static long headerVersion(MVStore store) {
        Object v = store.getStoreHeader().get("version");
        try {
            return v == null ? -1 : Long.parseLong(v.toString(), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Says so when MVStore opened an older version than had been committed; true then. */
    private static boolean checkRolledBack(Path file, StoreFile opened) throws IOException {
        long expected = Math.max(readMarker(file.getParent()), headerVersion(opened.store));
        long actual = opened.store.getCurrentVersion();
        if (expected > actual) {
            Path copy = file.resolveSibling(FILE_NAME + ".damaged-" + stamp());
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            LOG.error("Shadow store {} is damaged (its end is cut or unreadable): it opens at version {} but version {}"
                    + " had been committed, so the updates of the last {} commits are lost; the {} shadows as they"
                    + " were at version {} are kept; a copy of the damaged file is kept as {}", file, actual, expected,
                    expected - actual, opened.shadows.size(), actual, copy);
            return true;
        }
        return false;
    }

    private static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    static StoreFile open(Path dir, ShadowDocuments docs) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return new StoreFile(openStore(file)).withMarker(dir, docs);
        }
        Throwable damage;
        MVStore store = null;
        try {
            store = openStore(file);
            StoreFile opened = new StoreFile(store);
            verify(opened, docs);
            if (checkRolledBack(file, opened)) {
                opened.restoreFromSnapshot(dir, docs);
                opened.raiseVersions(dir, docs);
            }
            return opened.withMarker(dir, docs);
        } catch (RuntimeException | AssertionError e) {
            if (store != null) {
                store.closeImmediately();
            }
            if (e instanceof org.h2.mvstore.MVStoreException m
                    && m.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED) {
                throw m; // in use by another store: a sound file must not be set aside
            }
            damage = e;
        }
        StoreFile recovered = recover(file, docs, damage);
        recovered.restoreFromSnapshot(dir, docs);
        recovered.raiseVersions(dir, docs);
        return recovered.withMarker(dir, docs);
    }

    /**
     * MVStore keeps dead chunks 45 s by default in case the disk reorders unflushed writes. Every
     * commit here is forced to disk before the next one, so their space can be reused at once;
     * with the default, a busy store (each commit writes a chunk of 10-16 KiB) grew to 190 MB for
     * 1 MB of shadows in 20 s, with none it stays near 10 MB. The price: fewer old versions to
     * fall back on when the file is damaged.
     */
    private static final int RETENTION_MS = 0;

    private static MVStore openStore(Path file) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        store.setRetentionTime(RETENTION_MS);
        return store;
    }

    /** Reads every entry once, so damage is found at start and not by the first unlucky request. */
    private static void verify(StoreFile f, ShadowDocuments docs) {
        Iterator<Map.Entry<String, byte[]>> it = f.shadows.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, byte[]> e = it.next();
            try {
                docs.fromStoredBytes(e.getValue());
            } catch (IOException | RuntimeException | AssertionError ex) {
                throw new IllegalStateException("shadow " + e.getKey() + " is unreadable: " + ex.getMessage(), ex);
            }
        }
        f.deleted.entrySet().forEach(e -> e.getValue());
    }

    private static StoreFile recover(Path file, ShadowDocuments docs, Throwable damage) throws IOException {
        Path aside = file.resolveSibling(FILE_NAME + ".damaged-" + stamp());
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        Salvage salvage = salvage(aside, docs);
        StoreFile fresh = new StoreFile(openStore(file));
        fresh.shadows.putAll(salvage.shadows);
        fresh.deleted.putAll(salvage.deleted);
        fresh.store.commit();
        fresh.store.sync();
        if (salvage.shadows.isEmpty() && salvage.deleted.isEmpty()) {
            LOG.error("Shadow store {} is damaged ({}) and nothing could be recovered from it: starting empty, the damaged"
                    + " file is kept as {}", file, damage.getMessage(), aside);
        } else {
            LOG.error("Shadow store {} is damaged ({}): recovered {} shadows; {}; the damaged file is kept as {}",
                    file, damage.getMessage(), salvage.shadows.size(), String.join("; ", salvage.notes), aside);
        }
        return fresh;
    }

    private static final class Salvage {
        final Map<String, byte[]> shadows = new TreeMap<>();
        final Map<String, long[]> deleted = new TreeMap<>();
        final List<String> notes = new ArrayList<>();
    }

    private static Salvage salvage(Path damaged, ShadowDocuments docs) {
        Salvage salvage = new Salvage();
        try (MVStore old = new MVStore.Builder().fileName(damaged.toString()).readOnly().recoveryMode()
                .autoCommitDisabled().open()) {
            salvageFrom(old, docs, salvage);
            return salvage;
        } catch (RuntimeException | AssertionError e) {
            salvage.notes.add("the file cannot be opened even read-only (" + e.getMessage() + ")");
        }
        // MVStoreTool.repair is not tried: it rolls back one version at a time, reopening the
        // whole file each time (minutes for a file of some MiB, printing to stdout), and in our
        // tests it never recovered anything a read-only open in recovery mode could not
        return salvage;
    }

    private static void salvageFrom(MVStore old, ShadowDocuments docs, Salvage salvage) {
        if (!old.hasMap(SHADOWS)) {
            salvage.notes.add("the file holds no shadow map");
            return;
        }
        MVMap<String, byte[]> newest = old.openMap(SHADOWS);
        if (old.hasMap(DELETED)) {
            try {
                old.<String, long[]>openMap(DELETED).forEach(salvage.deleted::put);
            } catch (RuntimeException | AssertionError e) {
                salvage.notes.add("the list of deleted shadows is partly unreadable");
            }
        }
        String failure = readAll(newest, docs, salvage, null);
        if (failure == null) {
            salvage.notes.add("nothing lost, the newest version was readable");
            return;
        }
        salvage.notes.add("newest version partly unreadable (" + failure + ")");
        List<String> older = new ArrayList<>();
        long current = old.getCurrentVersion();
        for (long v = current - 1; v >= 0 && v >= current - SALVAGE_VERSIONS; v--) {
            MVMap<String, byte[]> view;
            try {
                view = newest.openVersion(v);
            } catch (RuntimeException | AssertionError e) {
                continue;
            }
            readAll(view, docs, salvage, older);
        }
        if (!older.isEmpty()) {
            salvage.notes.add("taken from older versions, so possibly not their last update: " + String.join(", ", older));
        }
        salvage.notes.add("shadows whose every copy was unreadable are lost");
    }

    /** Copies what is readable; returns why reading stopped early, or null. */
    private static String readAll(MVMap<String, byte[]> map, ShadowDocuments docs, Salvage salvage,
            List<String> olderNames) {
        try {
            Iterator<Map.Entry<String, byte[]>> it = map.entrySet().iterator();
            String failure = null;
            while (it.hasNext()) {
                Map.Entry<String, byte[]> e = it.next();
                String key = e.getKey();
                if (salvage.shadows.containsKey(key)) {
                    continue;
                }
                try {
                    StoredShadow s = docs.fromStoredBytes(e.getValue());
                    long[] tomb = salvage.deleted.get(key);
                    if (olderNames != null && tomb != null && tomb[0] >= s.version()) {
                        continue; // deleted after this copy was written
                    }
                    salvage.shadows.put(key, e.getValue());
                    if (olderNames != null) {
                        olderNames.add(key + " (version " + s.version() + ")");
                    }
                } catch (IOException | RuntimeException | AssertionError ex) {
                    failure = "shadow " + key + ": " + ex.getMessage();
                }
            }
            return failure;
        } catch (RuntimeException | AssertionError e) {
            return e.getMessage();
        }
    }
}
