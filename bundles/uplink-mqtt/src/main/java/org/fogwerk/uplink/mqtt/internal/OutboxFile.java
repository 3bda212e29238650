package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;

/**
 * Opens the file of an uplink's outbox. A file that cannot be opened for its content is set
 * aside as {@code outbox.mv.damaged-<millis>} and a copy rolled back to its newest good version;
 * a file locked by another instance or a disk that cannot be written is no reason for that.
 */
final class OutboxFile {

    /** The open store; for a damaged file also why, and where the damaged file was set aside. */
    record Opened(MVStore store, String damage, Path aside) {
    }

    private OutboxFile() {
    }

    static Opened open(String name, Path file, Logger log) throws IOException {
        try {
            return new Opened(open(file), null, null);
        } catch (RuntimeException e) {
            if (!damaged(e)) {
                throw e;
            }
            Path aside = file.resolveSibling("outbox.mv.damaged-" + System.currentTimeMillis());
            Files.move(file, aside);
            return new Opened(recover(name, aside, file, log), e.getMessage(), aside);
        }
    }

    /**
     * Whether an open failed on the file's content. A file locked by another instance or a disk
     * that cannot be written is no reason to set a sound file aside.
     */
    private static boolean damaged(RuntimeException e) {
        if (e instanceof org.h2.mvstore.MVStoreException) {
            int code = ((org.h2.mvstore.MVStoreException) e).getErrorCode();
            return code != org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED
                    && code != org.h2.mvstore.DataUtils.ERROR_WRITING_FAILED;
        }
        return true;
    }

    /**
     * MVStore keeps dead chunks 45 s by default in case the disk reorders unsynced writes. Every
     * commit here is synced before the next one (and nothing commits in the background), so their
     * space can be reused at once: with the default, 700 messages/s (a commit every few
     * milliseconds, each a chunk of its own) kept the file at 100-120 MB for a few MB of messages.
     */
    private static final int RETENTION_MS = 0;

    private static MVStore open(Path file) {
        // a small page cache: the sender streams the backlog in key order, it never needs much of it at once
        MVStore store = new MVStore.Builder().fileName(file.toString()).cacheSize(8).autoCommitDisabled().open();
        store.setRetentionTime(RETENTION_MS);
        try {
            // reach both maps' roots now, so a damaged store fails here rather than in the sender
            store.openMap("messages").lastKey();
            store.openMap("meta").get(Outbox.NEXT_SEQ);
            return store;
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    /**
     * A damaged store, set aside at {@code aside}: a copy is rolled back to its newest good version
     * (MVStore keeps older chunks until they are overwritten); if even that fails the outbox
     * starts empty, and the damaged file stays for inspection.
     */
    private static MVStore recover(String name, Path aside, Path file, Logger log) throws IOException {
        Files.copy(aside, file);
        try {
            org.h2.mvstore.MVStoreTool.repair(file.toString());
            return open(file);
        } catch (RuntimeException e) {
            log.warn("Uplink {}: outbox {} cannot be rolled back to a good version ({}); starting an empty one", name,
                    file, e.toString());
            Files.deleteIfExists(file);
            return open(file);
        } finally {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".temp"));
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".back"));
        }
    }

    /**
     * Writes a message set aside to {@code folder/<seq>.bin} (if it could be read) with a line in
     * {@code folder/quarantine.log}; returns where it went, or why nowhere.
     */
    static String setAside(Path folder, long seq, byte[] record, String reason) {
        String where = folder.toString();
        try {
            Files.createDirectories(folder);
            if (record != null) {
                Files.write(folder.resolve(seq + ".bin"), record);
                where = folder.resolve(seq + ".bin").toString();
            }
            Files.writeString(folder.resolve("quarantine.log"), Instant.now() + " seq " + seq + ": " + reason
                    + (record == null ? " (unreadable)" : " (" + record.length + " bytes in " + seq + ".bin)")
                    + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            where = "nowhere (" + e + ")";
        }
        return where;
    }

    /**
     * The bytes the messages of an opened outbox take: the count it kept ({@code kept}), which is
     * off by the acknowledgements of the last moments before a crash, else their sum.
     */
    static long storedBytes(MVMap<Long, byte[]> messages, Long kept) {
        if (messages.isEmpty()) {
            return 0;
        }
        if (kept != null) {
            return kept;
        }
        long b = 0;
        for (byte[] v : messages.values()) {
            b += v.length;
        }
        return b;
    }
}
