package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The outbox's sequence high-water mark, kept in a small file of its own beside the store, so a
 * damaged or truncated store never makes the uplink hand out a sequence number it used before
 * (a consumer that de-duplicates by {@code seq} would drop the new message).
 *
 * <p>Sequence numbers are reserved in blocks: the file says "everything below {@code reserved}
 * may have been used" and is rewritten (forced to disk, atomic rename) only when a commit
 * reaches the end of a block. A clean close also writes the exact next number, so a normal
 * restart continues without a jump; after a crash the sequence continues at the reserved mark.
 *
 * @param file      the mark's file
 * @param reserved  below this, every number may have been handed out
 * @param cleanNext where a clean close left the sequence, or -1 after a crash
 */
record SequenceMark(Path file, long reserved, long cleanNext) {

    /** Sequence numbers reserved at a time: one small forced write per block. */
    static final long BLOCK = 10_000;

    /** Reads the mark; a missing file is a new outbox, an unreadable one is reported and treated as missing. */
    static SequenceMark read(Path file, String uplink, org.slf4j.Logger log) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
            long reserved = Long.parseLong(p.getProperty("reserved", "").trim());
            String next = p.getProperty("next");
            return new SequenceMark(file, reserved, next == null ? -1 : Long.parseLong(next.trim()));
        } catch (NoSuchFileException e) {
            return new SequenceMark(file, 1, -1);
        } catch (IOException | RuntimeException e) {
            log.error("Uplink {}: the sequence mark {} cannot be read ({}); the sequence continues from the store",
                    uplink, file, e.toString());
            return new SequenceMark(file, 1, -1);
        }
    }

    /** Where the sequence may continue without repeating a number. */
    long safeNext() {
        return cleanNext > 0 ? cleanNext : reserved;
    }

    /** Reserves every number below {@code reserved}: written and forced before any of them is used. */
    SequenceMark reserve(long reserved) throws IOException {
        write("reserved=" + reserved + "\n");
        return new SequenceMark(file, reserved, -1);
    }

    /** A clean close: the sequence continues exactly at {@code next}. */
    void closeAt(long next) throws IOException {
        write("reserved=" + Math.max(next, reserved) + "\nnext=" + next + "\n");
    }

    private void write(String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
