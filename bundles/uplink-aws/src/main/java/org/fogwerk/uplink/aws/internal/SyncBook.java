package org.fogwerk.uplink.aws.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the synchronisation knows per shadow, on disk ({@value #FILE_NAME}): the last state both
 * sides agreed on (the base of the three-way merge) and the local and cloud versions it had then.
 * Every change is committed and forced to disk before the sync goes on, so it survives kill -9.
 */
final class SyncBook implements AutoCloseable {

    static final String FILE_NAME = "aws-shadow-sync.mv.db";
    private static final Logger LOG = LoggerFactory.getLogger(SyncBook.class);

    /** One shadow's entry; {@code base} is a state with both sections. */
    record Entry(ObjectNode base, long localVersion, long cloudVersion) {
    }

    private final MVStore store;
    private final MVMap<String, byte[]> entries;

    SyncBook(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        MVStore opened;
        try {
            opened = open(file);
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                // a live book (another uplink of the same name) is not damaged: never set it aside
                throw new IOException(file + " is in use by another uplink of the same name", e);
            }
            // without the book the next full sync merges from an empty base: nothing is lost, only
            // deletions made while apart come back once
            Path aside = dir.resolve(FILE_NAME + ".damaged-" + System.currentTimeMillis());
            Files.move(file, aside);
            LOG.error("Shadow sync book {} is damaged ({}); set aside as {}, starting with an empty book", file,
                    e.getMessage(), aside.getFileName());
            opened = open(file);
        }
        this.store = opened;
        this.entries = store.openMap("shadows");
    }

    private static MVStore open(Path file) {
        return new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
    }

    /** Drops the store without writing anything, as a crash would; for tests. */
    void crash() {
        store.closeImmediately();
    }

    static String key(String thing, String shadow) {
        return thing + "/" + shadow;
    }

    Entry get(String key) {
        byte[] bytes = entries.get(key);
        if (bytes == null) {
            return null;
        }
        JsonNode n = ShadowJson.parse(bytes);
        if (n == null || !n.has("base")) {
            return null; // unreadable: a full merge from an empty base, which only adds
        }
        return new Entry(ShadowMerge.stateOf(JsonNodeFactory.instance.objectNode().set("state", n.get("base"))),
                n.path("local").asLong(), n.path("cloud").asLong());
    }

    void put(String key, Entry e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("base", e.base());
        n.put("local", e.localVersion());
        n.put("cloud", e.cloudVersion());
        entries.put(key, ShadowJson.bytes(n));
        commit();
    }

    void remove(String key) {
        if (entries.remove(key) != null) {
            commit();
        }
    }

    private void commit() {
        store.commit();
        store.sync();
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (MVStoreException e) {
            // the sync worker was interrupted in the middle of a write, which closes the file: every
            // step it finished is already forced to disk, so nothing is lost by letting go of it
            store.closeImmediately();
        }
    }
}
