package org.fogwerk.shadow.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A compact copy of every shadow and tombstone, written beside the store ({@value #FILE_NAME}) now
 * and then and at close. MVStore reuses the space of old chunks at once (see
 * {@code StoreFile.RETENTION_MS}), so a file whose newest chunks are cut or zeroed may have no
 * older version left to open; the copy is where the shadows come back from then.
 *
 * <p>Format: {@code FWSS}, a format version (int), then records of a type byte ({@code S} shadow,
 * {@code D} tombstone), the key and the value, each with its length (int), and the CRC32C of the
 * record's bytes before it. It is written to a temporary file, forced, and moved over the old one,
 * so a crash while writing leaves the previous copy; a record whose checksum does not match is
 * skipped and counted.
 */
final class ShadowSnapshot {

    static final String FILE_NAME = StoreFile.FILE_NAME + ".snapshot";
    private static final int MAGIC = 0x46575353; // "FWSS"
    private static final int FORMAT = 1;
    private static final byte SHADOW = 'S';
    private static final byte TOMBSTONE = 'D';

    /** What a snapshot file holds; {@code damaged} counts records set aside for a bad checksum. */
    record Contents(Map<String, byte[]> shadows, Map<String, long[]> deleted, int damaged, long writtenAt) {
        static Contents none() {
            return new Contents(Map.of(), Map.of(), 0, 0);
        }
    }

    private ShadowSnapshot() {
    }

    static void write(Path dir, Map<String, byte[]> shadows, Map<String, long[]> deleted) throws IOException {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            CRC32C crc = new CRC32C();
            for (Map.Entry<String, byte[]> e : shadows.entrySet()) {
                record(out, crc, SHADOW, e.getKey(), e.getValue());
            }
            for (Map.Entry<String, long[]> e : deleted.entrySet()) {
                long[] t = e.getValue();
                record(out, crc, TOMBSTONE, e.getKey(), ByteBuffer.allocate(16).putLong(t[0]).putLong(t[1]).array());
            }
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void record(DataOutputStream out, CRC32C crc, byte type, String key, byte[] value)
            throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        crc.reset();
        crc.update(type);
        crc.update(k);
        crc.update(value);
        out.writeByte(type);
        out.writeInt(k.length);
        out.write(k);
        out.writeInt(value.length);
        out.write(value);
        out.writeInt((int) crc.getValue());
    }

    /** What can be read; a missing or unreadable file gives {@link Contents#none()}. */
    static Contents read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        ByteBuffer buf;
        long writtenAt;
        try {
            if (!Files.isRegularFile(file)) {
                return Contents.none();
            }
            writtenAt = Files.getLastModifiedTime(file).toMillis();
            buf = ByteBuffer.wrap(Files.readAllBytes(file));
        } catch (IOException | OutOfMemoryError e) {
            return Contents.none();
        }
        if (buf.remaining() < 8 || buf.getInt() != MAGIC || buf.getInt() != FORMAT) {
            return new Contents(Map.of(), Map.of(), 1, writtenAt);
        }
        Map<String, byte[]> shadows = new TreeMap<>();
        Map<String, long[]> deleted = new TreeMap<>();
        int damaged = 0;
        CRC32C crc = new CRC32C();
        while (buf.remaining() > 0) {
            byte type = buf.get();
            byte[] k = chunk(buf);
            byte[] v = k == null ? null : chunk(buf);
            if (v == null || buf.remaining() < 4) {
                damaged++; // a length no longer fits the file: nothing after it can be found again
                break;
            }
            crc.reset();
            crc.update(type);
            crc.update(k);
            crc.update(v);
            if ((int) crc.getValue() != buf.getInt()) {
                damaged++;
                continue;
            }
            String key = new String(k, StandardCharsets.UTF_8);
            if (type == SHADOW) {
                shadows.put(key, v);
            } else if (type == TOMBSTONE && v.length == 16) {
                ByteBuffer t = ByteBuffer.wrap(v);
                deleted.put(key, new long[] {t.getLong(), t.getLong()});
            } else {
                damaged++;
            }
        }
        return new Contents(shadows, deleted, damaged, writtenAt);
    }

    private static byte[] chunk(ByteBuffer buf) {
        if (buf.remaining() < 4) {
            return null;
        }
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            return null;
        }
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }
}
