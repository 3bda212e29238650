package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import org.fogwerk.support.concurrent.ParkedThreads;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox of one uplink: an MVStore map from a per-uplink sequence number to the
 * encoded message (checksum, enqueue time, topic, payload).
 *
 * <p>MVStore checks the structure of its pages, not the bytes of a value, so every record carries
 * a CRC32C of its sequence number and its bytes: a record whose bytes changed on disk (or that
 * turned up under another sequence number) is refused by {@link #get} with {@link DamagedRecord},
 * and the sender sets it aside. Outboxes written before records had checksums are read as they
 * are: the sequence number from which records carry one is kept in the store ({@code checksumsFrom}).
 *
 * <p>Appends go to an in-memory list; one writer thread moves them into the map and commits
 * and syncs at most every {@code commitMs} (group commit). Only committed messages are
 * visible to the sender, so a sequence number the broker has seen is never reused after a
 * crash. Messages leave the map when the broker acknowledged them.
 *
 * <p>MVStore rather than a hand-made segment file: its copy-on-write chunks survive a kill at
 * any moment (a torn last chunk is ignored on open), ordered {@code long} keys give ordered
 * streaming from disk without holding the backlog in memory, and deletes of acknowledged
 * messages need no compaction code of our own (STACK.md: 100k entries + commit in 0.3–0.6 s).
 */
final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    static final String NEXT_SEQ = "nextSeq";
    /** Stored bytes as of the last commit, so a large backlog opens without reading every message. */
    private static final String BYTES = "bytes";
    /** The first sequence number whose record carries a checksum; older ones were written without. */
    private static final String CHECKSUMS_FROM = "checksumsFrom";
    /** Record overhead besides topic and payload: checksum (4), time (8), topic length (2). */
    static final int HEADER = 14;
    /** The record layout before checksums: time (8), topic length (2). */
    private static final int UNCHECKED_HEADER = 10;
    private static final int CHECKSUM = 4;
    static final String FILE = "outbox.mv";
    /** How often an uplink whose outbox could not write tries to open it again. */
    static final int REOPEN_SECONDS = 30;

    /** Outcome of one append. */
    enum Append { ACCEPTED, ACCEPTED_DROPPED_OLDEST, REFUSED }

    private final String name;
    private final Path dir;
    private final MVStore store;
    private final MVMap<Long, byte[]> messages;
    private final MVMap<String, Long> meta;
    private final long checksumsFrom;
    /** Sequence numbers below its mark may have been used; only the writer thread (and close) replace it. */
    private SequenceMark seqMark;
    private final long maxBytes;
    private final long maxMessages;
    private final boolean dropOldest;
    private final long commitNanos;
    private final Thread writer;
    private final Runnable beforeCommit;
    private final Runnable afterCommit;

    private final Object lock = new Object();
    private List<byte[]> pending = new ArrayList<>();
    private long pendingFirstSeq;
    private long nextSeq;
    private CompletableFuture<Void> nextCommit = new CompletableFuture<>();
    /** The commit the writer is doing now (taken from the pending list, not yet synced), or null. */
    private CompletableFuture<Void> committing;
    private volatile long committedUpTo;
    private volatile boolean running = true;
    private volatile boolean deletedSinceCommit;
    /** Runs after a batch is synced and before it becomes visible to the sender; tests hold it there. */
    private volatile Runnable beforeVisible;

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private volatile String failure;
    private volatile long failedAt;
    /** Damaged messages taken out of the stream, so the ones behind them can go. */
    private final java.util.Set<Long> quarantined = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final RecentRecords recent = new RecentRecords();

    Outbox(String name, Path dir, long maxBytes, long maxMessages, boolean dropOldest, int commitMs,
            Runnable beforeCommit, Runnable afterCommit) throws Exception {
        this.name = name;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages <= 0 ? Long.MAX_VALUE : maxMessages;
        this.dropOldest = dropOldest;
        this.commitNanos = TimeUnit.MILLISECONDS.toNanos(commitMs);
        this.beforeCommit = beforeCommit;
        this.afterCommit = afterCommit;
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        SequenceMark mark = SequenceMark.read(dir.resolve("outbox.seq"), name, LOG);
        OutboxFile.Opened opened = OutboxFile.open(name, file, LOG);
        String damage = opened.damage();
        Path aside = opened.aside();
        this.store = opened.store();
        this.messages = store.openMap("messages");
        this.meta = store.openMap("meta");
        Long last = messages.lastKey();
        Long persisted = meta.get(NEXT_SEQ);
        long fromStore = Math.max(persisted == null ? 1 : persisted, last == null ? 1 : last + 1);
        long next = Math.max(fromStore, mark.safeNext());
        Long first = messages.firstKey();
        String kept = first == null ? "kept no messages" : "kept " + messages.sizeAsLong() + " messages (seq " + first
                + ".." + last + ")";
        if (damage != null) {
            LOG.error("Uplink {}: outbox {} is damaged ({}); set aside as {}; {}; undelivered messages with sequence"
                    + " numbers below {} not among them are lost; the sequence continues at {}", name, file, damage,
                    aside.getFileName(), kept, next, next);
        } else if (mark.cleanNext() > fromStore) {
            LOG.error("Uplink {}: outbox {} lost its newest commits (the file was cut or damaged): undelivered messages"
                    + " with sequence numbers {}..{} are lost; {}; the sequence continues at {}", name, file, fromStore,
                    mark.cleanNext() - 1, kept, next);
        }
        Long from = meta.get(CHECKSUMS_FROM);
        if (from == null) {
            // a new outbox, or one written before records had checksums: its records stay as they are
            from = next;
            meta.put(CHECKSUMS_FROM, from);
        }
        this.checksumsFrom = from;
        try {
            this.seqMark = mark.reserve(next + SequenceMark.BLOCK);
        } catch (IOException | RuntimeException e) {
            store.closeImmediately(); // a full disk: let the file go, or no later try would get its lock
            throw e;
        }
        this.nextSeq = next;
        this.pendingFirstSeq = next;
        this.committedUpTo = next;
        count.set(messages.sizeAsLong());
        long b = OutboxFile.storedBytes(messages, meta.get(BYTES));
        bytes.set(b);
        if (count.get() > 0) {
            LOG.info("Uplink {}: outbox {} holds {} unsent messages ({} bytes), sequence continues at {}",
                    name, dir, count.get(), b, next);
        }
        this.writer = new Thread(this::writeLoop, "fogwerk-uplink-" + name + "-outbox");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Encodes one message record; its checksum is filled in when {@link #append} gives it a sequence number. */
    static byte[] record(String topic, byte[] payload, long enqueueMillis) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + t.length + payload.length);
        buf.putInt(0).putLong(enqueueMillis).putShort((short) t.length).put(t).put(payload);
        return buf.array();
    }

    static long enqueueTime(byte[] record) {
        return ByteBuffer.wrap(record).getLong(CHECKSUM);
    }

    static String topic(byte[] record) {
        int len = ByteBuffer.wrap(record).getShort(CHECKSUM + 8) & 0xFFFF;
        return new String(record, HEADER, len, StandardCharsets.UTF_8);
    }

    static int payloadOffset(byte[] record) {
        return HEADER + (ByteBuffer.wrap(record).getShort(CHECKSUM + 8) & 0xFFFF);
    }

    /** CRC32C (a CPU instruction on x86 and ARM) of the sequence number and the record after the checksum. */
    static int checksum(long seq, byte[] record) {
        CRC32C crc = new CRC32C();
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (seq >>> shift));
        }
        crc.update(record, CHECKSUM, record.length - CHECKSUM);
        return (int) crc.getValue();
    }

    /** Adds one record (from {@link #record}); the caller learns about acceptance from {@link #commitFuture}. */
    Append append(byte[] record) {
        synchronized (lock) {
            if (failure != null) {
                // it would never reach the disk: refused, so the caller counts it and marks the gap
                return Append.REFUSED;
            }
            Append outcome = Append.ACCEPTED;
            while (count.get() + 1 > maxMessages || bytes.get() + record.length > maxBytes) {
                if (!dropOldest || !dropOne()) {
                    return Append.REFUSED;
                }
                outcome = Append.ACCEPTED_DROPPED_OLDEST;
            }
            if (record.length >= HEADER) {
                ByteBuffer.wrap(record).putInt(0, checksum(nextSeq, record));
            }
            pending.add(record);
            nextSeq++;
            bytes.addAndGet(record.length);
            count.incrementAndGet();
            return outcome;
        }
    }

    /** Drops the oldest message, stored or still pending; false when there is none. */
    private boolean dropOne() {
        Long first = messages.firstKey();
        if (first != null) {
            recent.remove(first);
            byte[] old = messages.remove(first);
            if (old != null) {
                bytes.addAndGet(-old.length);
                count.decrementAndGet();
                dropped.incrementAndGet();
                deletedSinceCommit = true;
            }
            return true;
        }
        if (!pending.isEmpty()) {
            byte[] old = pending.remove(0);
            // the dropped pending message keeps its sequence number: it is simply never stored
            pendingFirstSeq++;
            bytes.addAndGet(-old.length);
            count.decrementAndGet();
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Completes when everything appended so far is on disk. */
    CompletableFuture<Void> commitFuture() {
        synchronized (lock) {
            if (!pending.isEmpty()) {
                LockSupport.unpark(writer);
                return nextCommit;
            }
            // nothing pending: either all on disk, or the writer is syncing the last batch right now
            return committing != null ? committing : CompletableFuture.completedFuture(null);
        }
    }

    private void writeLoop() {
        while (running) {
            LockSupport.parkNanos(commitNanos);
            try {
                commitOnce(false);
            } catch (RuntimeException e) {
                LOG.error("Uplink {}: outbox commit failed: {}", name, e.toString());
            }
        }
    }

    private void commitOnce(boolean closing) {
        if (failure != null) {
            return; // nothing reaches the disk until the outbox is opened again
        }
        if (!closing && beforeCommit != null) {
            beforeCommit.run();
        }
        List<byte[]> batch;
        long first;
        long next;
        CompletableFuture<Void> done;
        synchronized (lock) {
            if (pending.isEmpty()) {
                batch = null;
                first = 0;
                next = nextSeq;
                done = null;
            } else {
                batch = pending;
                first = pendingFirstSeq;
                next = nextSeq;
                done = nextCommit;
                pending = new ArrayList<>(Math.max(16, batch.size()));
                pendingFirstSeq = nextSeq;
                nextCommit = new CompletableFuture<>();
                committing = done;
            }
            // appends and drops of stored messages happen under this lock: put before releasing it
            // so dropOne() sees the new messages as stored
            if (batch != null) {
                long seq = first;
                for (byte[] r : batch) {
                    recent.put(seq, r);
                    messages.put(seq++, r);
                }
                meta.put(NEXT_SEQ, next);
                meta.put(BYTES, bytes.get()); // pending is empty now: all of it is stored
            }
        }
        if (batch != null) {
            try {
                if (next > seqMark.reserved()) {
                    seqMark = seqMark.reserve(next + SequenceMark.BLOCK);
                }
                store.commit();
                store.sync();
            } catch (java.io.IOException e) {
                lose(batch, first, e);
                clearCommitting(done);
                done.completeExceptionally(e);
                throw new java.io.UncheckedIOException("cannot reserve sequence numbers", e);
            } catch (RuntimeException e) {
                lose(batch, first, e);
                clearCommitting(done);
                done.completeExceptionally(e);
                throw e;
            }
            Runnable hook = beforeVisible;
            if (hook != null) {
                hook.run();
            }
            committedUpTo = next;
            clearCommitting(done);
            done.complete(null);
            if (afterCommit != null) {
                afterCommit.run();
            }
        } else if (deletedSinceCommit) {
            deletedSinceCommit = false;
            try {
                meta.put(BYTES, bytes.get());
                store.commit();
                store.sync(); // before the next commit may reuse the space this one freed
            } catch (RuntimeException e) {
                lose(List.of(), nextSeq(), e);
                throw e;
            }
        }
    }

    /**
     * A commit failed (the disk is full, the file went away): its messages never reached the disk,
     * and nothing appended from now on would. They are counted as lost, new values are refused
     * and counted, and nothing is read, sent or deleted until the uplink opens its outbox again
     * (the uplink's component tries every {@link #REOPEN_SECONDS} s): what was committed before is still in
     * the file and goes then.
     */
    private void lose(List<byte[]> batch, long first, Exception cause) {
        synchronized (lock) {
            long seq = first;
            for (byte[] r : batch) {
                recent.remove(seq);
                try {
                    messages.remove(seq); // a store that is still open would write it at close: it is counted lost
                } catch (RuntimeException closed) {
                    // the store closed itself on the failure: the message is gone with it
                }
                seq++;
                bytes.addAndGet(-r.length);
                count.decrementAndGet();
                lost.incrementAndGet();
            }
            for (byte[] r : pending) {
                bytes.addAndGet(-r.length);
                count.decrementAndGet();
                lost.incrementAndGet();
            }
            pending.clear();
            pendingFirstSeq = nextSeq;
            nextCommit.completeExceptionally(cause);
            nextCommit = new CompletableFuture<>();
            if (failure == null) {
                Throwable root = cause;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                failedAt = System.nanoTime();
                failure = "cannot write " + dir.resolve(FILE) + ": " + root.getMessage();
                LOG.error("Uplink {}: the outbox {}; {} messages lost, new values are refused and counted until it"
                        + " can write again", name, failure, lost.get());
            }
        }
    }

    /** Why the outbox cannot write, or {@code null} while it can. */
    String failure() {
        return failure;
    }

    /** Nanoseconds since the outbox could not write; 0 while it can. */
    long failedFor() {
        return failure == null ? 0 : System.nanoTime() - failedAt;
    }

    /** Messages lost because the outbox could not write them. */
    long lost() {
        return lost.get();
    }

    private void clearCommitting(CompletableFuture<Void> done) {
        synchronized (lock) {
            if (committing == done) {
                committing = null;
            }
        }
    }

    void beforeVisible(Runnable hook) {
        this.beforeVisible = hook;
    }

    /** Everything below this sequence number is committed (or dropped). */
    long committedUpTo() {
        return committedUpTo;
    }

    /** The first stored sequence number at or after {@code from} and below {@code below}, or -1. */
    long nextStored(long from, long below) {
        if (from < below && recent.get(from) != null) {
            return from;
        }
        Long k;
        try {
            k = messages.ceilingKey(from);
        } catch (RuntimeException e) {
            // a damaged index page hides where the next message is: go on one number at a time,
            // the sender sets each one it cannot read aside and the messages behind it still go
            return from < Math.min(below, nextSeq()) ? from : -1;
        }
        return k == null || k >= below ? -1 : k;
    }

    /**
     * The stored record of {@code seq}, or null when there is none.
     *
     * @throws DamagedRecord when its bytes do not match its checksum
     */
    byte[] get(long seq) {
        byte[] r = recent.get(seq);
        if (r != null) {
            return r;
        }
        r = messages.get(seq);
        if (r == null) {
            return null;
        }
        if (seq < checksumsFrom) {
            return withChecksum(seq, r);
        }
        if (r.length < HEADER) {
            throw new DamagedRecord(seq, r, "is too short (" + r.length + " bytes)");
        }
        if (ByteBuffer.wrap(r).getInt(0) != checksum(seq, r)) {
            throw new DamagedRecord(seq, r, "does not match its checksum: its bytes changed on disk");
        }
        return r;
    }

    /** A record written before records had checksums, in today's layout. */
    private static byte[] withChecksum(long seq, byte[] unchecked) {
        if (unchecked.length < UNCHECKED_HEADER) {
            throw new DamagedRecord(seq, unchecked, "is too short (" + unchecked.length + " bytes)");
        }
        byte[] r = new byte[unchecked.length + CHECKSUM];
        System.arraycopy(unchecked, 0, r, CHECKSUM, unchecked.length);
        ByteBuffer.wrap(r).putInt(0, checksum(seq, r));
        return r;
    }

    /** The oldest stored sequence number, or -1. */
    long first() {
        try {
            Long k = messages.firstKey();
            return k == null ? -1 : k;
        } catch (RuntimeException e) {
            return 1; // a damaged first page: the walk from the start finds what is still readable
        }
    }

    /** The broker acknowledged a message: it leaves the outbox. */
    void delivered(long seq) {
        if (failure != null) {
            return; // the file cannot be written: the message is sent again once it can
        }
        recent.remove(seq);
        byte[] old = messages.remove(seq);
        if (old != null) {
            bytes.addAndGet(-old.length);
            count.decrementAndGet();
            deletedSinceCommit = true;
        }
    }

    /**
     * Sets a message that cannot be read or sent aside: its bytes (if readable) go to
     * {@code quarantine/<seq>.bin} beside the store with a line in {@code quarantine/quarantine.log},
     * it leaves the outbox and is counted. Returns false if it was set aside before.
     */
    boolean quarantine(long seq, byte[] record, String reason) {
        if (!quarantined.add(seq)) {
            return false;
        }
        String where = OutboxFile.setAside(dir.resolve("quarantine"), seq, record, reason);
        try {
            delivered(seq);
        } catch (RuntimeException e) {
            // the page is unreadable: the message stays in the file, skipped by the quarantine set
            count.decrementAndGet();
        }
        LOG.error("Uplink {}: message {} is damaged ({}); set aside in {}, the messages behind it go on ({} set aside"
                + " in all)", name, seq, reason, where, quarantined.size());
        return true;
    }

    boolean isQuarantined(long seq) {
        return quarantined.contains(seq);
    }

    long quarantinedCount() {
        return quarantined.size();
    }

    /** Sequence number the next append gets. */
    long nextSeq() {
        synchronized (lock) {
            return nextSeq;
        }
    }

    long depth() {
        return count.get();
    }

    long bytes() {
        return bytes.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Enqueue time of the oldest message, or 0 when the outbox is empty. */
    long oldestEnqueueTime() {
        synchronized (lock) {
            try {
                Long k = messages.firstKey();
                byte[] r = k == null ? null : get(k);
                if (r != null) {
                    return enqueueTime(r);
                }
            } catch (RuntimeException e) {
                // a damaged page: the age is not known until the sender has set it aside
            }
            return pending.isEmpty() ? 0 : enqueueTime(pending.get(0));
        }
    }

    @Override
    public void close() {
        running = false;
        ParkedThreads.wakeAndJoin(writer, 5000);
        if (failure != null) {
            // nothing more can be written; let go of the file (and its lock) for the outbox opened next
            store.closeImmediately();
            try {
                seqMark.closeAt(nextSeq()); // where there is room again: the sequence goes on without a jump
            } catch (java.io.IOException e) {
                LOG.debug("Uplink {}: the sequence continues at its reserved mark: {}", name, e.toString());
            }
            return;
        }
        try {
            commitOnce(true);
            store.close();
            seqMark.closeAt(nextSeq());
        } catch (java.io.IOException e) {
            LOG.warn("Uplink {}: closing the outbox: cannot write the sequence mark: {}", name, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("Uplink {}: closing the outbox: {}", name, e.toString());
            store.closeImmediately();
        }
    }
}
