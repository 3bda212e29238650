package org.fogwerk.audit.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.LongStream;
import java.util.zip.CRC32C;

import org.fogwerk.api.audit.AuditEvent;

/**
 * Entries on record and not chained yet: a ring in a memory-mapped file ({@code journal} in the
 * trail's folder). Putting an entry copies it into the mapping, with no system call: once
 * {@link #put} returns, the operating system holds the entry and it survives the node being
 * killed. The trail takes the entries out in the order they were put, chains them into its files
 * and frees their space ({@link #take}, {@link #release}); at start it chains first whatever the
 * journal still holds and the trail does not ({@link #recover}). The journal is not forced to disk
 * itself: its entries are in the trail's forced files within one sync interval, and after a power
 * cut what it still says is checked against the trail (and its checksums) the same way.
 *
 * <p>The file: a head of {@value #HEAD} bytes (magic number, ring size, read position), then the
 * ring. An entry in the ring: its length as an int (negative while it is being copied, positive
 * once complete; {@link #WRAP} where the ring goes on at its start), the CRC-32C of its body, its
 * position, then the body: the time (seconds, nanoseconds) and the event's eight strings, each
 * as a length and UTF-8 bytes. Entries start on four-byte boundaries.
 */
final class Journal implements AutoCloseable {

    static final String FILE = "journal";
    static final int HEAD = 64;
    private static final int MAGIC = 0x46574a31; // "FWJ1"
    private static final int WRAP = Integer.MIN_VALUE;
    /** length, CRC, position. */
    private static final int ENTRY_HEAD = 4 + 4 + 8;
    private static final int READ_POSITION = 8;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** How long {@link #take} and {@link #close} wait for an entry being copied (a copy never blocks). */
    private static final long COPY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** An entry taken from the journal, and where it was in it ({@code -1} when not known). */
    record Taken(Instant time, AuditEvent event, long position) {
        /** Alike when their time and event are (where they were does not count). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Taken t && time.equals(t.time) && event.equals(t.event);
        }

        @Override
        public int hashCode() {
            return 31 * time.hashCode() + event.hashCode();
        }
    }

    /** Entries taken, oldest first, and the position after the last of them. */
    record Batch(List<Taken> entries, long upTo) {
    }

    private final Path file;
    private final int ringSize;
    private final MappedByteBuffer map;
    private final ReentrantLock reserving = new ReentrantLock();
    /** Where the next entry goes; only while {@link #reserving} is held. */
    private long tail;
    /** Entries reserved and still being copied (changed while {@link #reserving} is held, and after a copy). */
    private final AtomicInteger copying = new AtomicInteger();
    /** Tests hold a put here, its space reserved, before it copies its entry. */
    volatile Runnable beforeCopy = () -> { };
    /** Where the oldest entry not chained yet is; written by the taker only. */
    private volatile long readPosition;
    private volatile boolean closed;

    private Journal(Path file, int ringSize, MappedByteBuffer map) {
        this.file = file;
        this.ringSize = ringSize;
        this.map = map;
    }

    /** Maps the journal in {@code dir}, creating it with a ring of {@code ringSize} bytes if it is not there. */
    static Journal open(Path dir, int ringSize) throws IOException {
        if (ringSize < 4096 || ringSize % 4 != 0) {
            throw new IllegalArgumentException("journal ring size " + ringSize);
        }
        Path file = dir.resolve(FILE);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new Journal(file, ringSize, ch.map(FileChannel.MapMode.READ_WRITE, 0, HEAD + (long) ringSize));
        }
    }

    Path file() {
        return file;
    }

    /**
     * What the file holds from before (entries put and not chained when the node last stopped), in
     * their order; an entry cut off while it was copied is left out, as it was never on record.
     * A new file holds nothing; a note in {@link Recovered#damage} when it could
     * not be read to its end. Call it before any {@link #put}, and {@link #clear} once what it
     * found is chained.
     */
    Recovered recover() {
        List<Taken> found = new ArrayList<>();
        String damage = null;
        int magic = map.getInt(0);
        if (magic == MAGIC && map.getInt(4) == ringSize) {
            long p = map.getLong(READ_POSITION);
            for (long scanned = 0; scanned < ringSize;) {
                int off = offset(p);
                int h = map.getInt(HEAD + off);
                if (h == 0) {
                    break;
                }
                if (h == WRAP) {
                    scanned += ringSize - off;
                    p += ringSize - off;
                    continue;
                }
                int length = Math.abs(h);
                if (length < ENTRY_HEAD || length % 4 != 0 || off + length > ringSize) {
                    damage = "entry at position " + p + " has a length of " + h;
                    break;
                }
                if (h > 0) {
                    if (map.getLong(HEAD + off + 8) != p) {
                        break; // an entry of an earlier round of the ring, already chained: the end
                    }
                    Taken t = readBody(off, h, p);
                    if (t == null) {
                        damage = "entry at position " + p + " does not match its checksum";
                        break;
                    }
                    found.add(t);
                }
                scanned += length;
                p += length;
            }
        } else if (magic != 0) {
            damage = "not a journal of this ring size (magic " + Integer.toHexString(magic) + ", ring "
                    + map.getInt(4) + ")";
        }
        return new Recovered(found, damage);
    }

    /** What {@link #recover} found. */
    record Recovered(List<Taken> entries, String damage) {
    }

    /** Empties the journal. */
    void clear() {
        byte[] zeros = new byte[8192];
        for (int i = 0; i < HEAD + ringSize; i += zeros.length) {
            map.put(i, zeros, 0, Math.min(zeros.length, HEAD + ringSize - i));
        }
        map.putInt(4, ringSize);
        map.putLong(READ_POSITION, 0);
        map.putInt(0, MAGIC);
        tail = 0;
        readPosition = 0;
    }

    /**
     * Copies the entry into the journal; {@code false} when it does not fit (the ring is full, or
     * the entry is larger than a quarter of it) or the journal is closed, and then nothing is put.
     */
    boolean put(Instant time, AuditEvent e) {
        byte[][] strings = {utf8(e.kind()), utf8(e.source()), utf8(e.identity()), utf8(e.thing()),
            utf8(e.target()), utf8(e.value()), utf8(e.outcome()), utf8(e.detail())};
        int body = 8 + 4;
        for (byte[] s : strings) {
            body += 4 + s.length;
        }
        int length = (ENTRY_HEAD + body + 3) & ~3;
        if (length > ringSize / 4) {
            return false;
        }
        long position;
        int off;
        reserving.lock();
        try {
            if (closed) {
                return false;
            }
            off = offset(tail);
            int skip = off + length > ringSize ? ringSize - off : 0;
            if (tail + skip + length - readPosition > ringSize) {
                return false;
            }
            if (skip > 0) {
                INT.setRelease(map, HEAD + off, WRAP);
                tail += skip;
                off = 0;
            }
            position = tail;
            map.putInt(HEAD + off, -length);
            tail += length;
            copying.incrementAndGet();
        } finally {
            reserving.unlock();
        }
        try {
            beforeCopy.run();
            copy(off, length, position, time, strings);
        } finally {
            copying.decrementAndGet();
        }
        return true;
    }

    private void copy(int off, int length, long position, Instant time, byte[][] strings) {
        int at = HEAD + off + ENTRY_HEAD;
        int start = at;
        map.putLong(at, time.getEpochSecond());
        map.putInt(at + 8, time.getNano());
        at += 12;
        for (byte[] s : strings) {
            map.putInt(at, s.length);
            map.put(at + 4, s);
            at += 4 + s.length;
        }
        CRC32C crc = new CRC32C();
        crc.update(map.slice(start, at - start));
        map.putInt(HEAD + off + 4, (int) crc.getValue());
        map.putLong(HEAD + off + 8, position);
        INT.setRelease(map, HEAD + off, length);
    }

    /** Whether an entry waits to be taken (complete or still being copied). */
    boolean holdsEntries() {
        int off = offset(readPosition);
        return (int) INT.getAcquire(map, HEAD + off) != 0;
    }

    /**
     * The complete entries from the read position on, oldest first, up to the first one still being
     * copied. Called by one thread at a time (the trail's lock); their space is freed by
     * {@link #release} once they are chained.
     */
    Batch take() {
        long end;
        reserving.lock();
        try {
            end = tail; // every entry put before this take began is below it: those are waited for
        } finally {
            reserving.unlock();
        }
        List<Taken> taken = new ArrayList<>();
        long from = readPosition;
        long p = from;
        long waitUntil = 0;
        while (p - from < ringSize) { // a full ring ends where it began
            int off = offset(p);
            int h = (int) INT.getAcquire(map, HEAD + off);
            if (h == WRAP) {
                p += ringSize - off;
                continue;
            }
            if (h < 0 && p < end) {
                // being copied: a later entry may be complete and its writer told it is on record
                if (waitUntil == 0) {
                    waitUntil = System.nanoTime() + COPY_WAIT_NANOS;
                } else if (System.nanoTime() - waitUntil > 0) {
                    break;
                }
                Thread.yield();
                continue;
            }
            if (h <= 0) {
                break;
            }
            Taken t = map.getLong(HEAD + off + 8) == p ? readBody(off, h, p) : null;
            if (t == null) {
                // cannot be: written by this process, checksum and position before it was published
                throw new IllegalStateException("journal entry at position " + p + " does not match its checksum");
            }
            taken.add(t);
            p += h;
        }
        return new Batch(taken, p);
    }

    /**
     * Frees the space of the batch's entries up to the first of them not written ({@code notWritten}:
     * their positions; none: the whole batch).
     */
    void release(Batch taken, LongStream notWritten) {
        if (!taken.entries().isEmpty()) {
            release(notWritten.min().orElse(taken.upTo()));
        }
    }

    /** Frees the space of the entries before {@code upTo} (taken and chained into the trail). */
    void release(long upTo) {
        long p = readPosition;
        // the read position first: a node killed while the space is zeroed then starts from here,
        // and the zeroed entries behind it were chained already
        LONG.setRelease(map, READ_POSITION, upTo);
        byte[] zeros = new byte[4096];
        while (p < upTo) {
            int off = offset(p);
            int n = (int) Math.min(Math.min(upTo - p, ringSize - off), zeros.length);
            map.put(HEAD + off, zeros, 0, n);
            p += n;
        }
        readPosition = upTo; // only now may writers use the space
    }

    private Taken readBody(int off, int length, long position) {
        int at = HEAD + off + ENTRY_HEAD;
        int end = HEAD + off + length;
        long seconds = map.getLong(at);
        int nanos = map.getInt(at + 8);
        int p = at + 12;
        String[] s = new String[8];
        for (int i = 0; i < s.length; i++) {
            if (p + 4 > end) {
                return null;
            }
            int n = map.getInt(p);
            if (n < 0 || p + 4 + n > end) {
                return null;
            }
            byte[] b = new byte[n];
            map.get(p + 4, b);
            s[i] = new String(b, StandardCharsets.UTF_8);
            p += 4 + n;
        }
        CRC32C crc = new CRC32C();
        crc.update(map.slice(at, p - at));
        if ((int) crc.getValue() != map.getInt(HEAD + off + 4) || nanos < 0 || nanos > 999_999_999) {
            return null;
        }
        return new Taken(Instant.ofEpochSecond(seconds, nanos), new AuditEvent(s[0], s[1], s[2], s[3], s[4], s[5],
                s[6], s[7]), position);
    }

    private int offset(long position) {
        return (int) (position % ringSize);
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * No more entries are put, and the entries being copied are complete when it returns (so the
     * trail can take them before it closes); the mapping stays until it is collected.
     */
    @Override
    public void close() {
        reserving.lock();
        try {
            closed = true;
        } finally {
            reserving.unlock();
        }
        long giveUp = System.nanoTime() + COPY_WAIT_NANOS;
        while (copying.get() > 0 && System.nanoTime() - giveUp < 0) {
            Thread.yield();
        }
    }
}
