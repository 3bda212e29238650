package org.fogwerk.audit.internal;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.audit.AuditVerification;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trail on disk. An append numbers and chains its entry and writes it to the file with one
 * system call on the caller's own thread, under the trail's lock: once {@link #append} returns,
 * the entry is in the operating system's hands and survives the node being killed. How soon it is
 * also forced to the disk (and so survives a power cut) is {@link Settings#syncMillis()}: with
 * {@code 0} every append waits for the force, concurrent appends sharing one (group commit); with
 * more, a background thread forces whatever was written at that interval, and appends do not wait.
 */
public final class AuditLog implements AuditTrail, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /** Kind of the entries the trail writes about itself (damage found at start). */
    static final String KIND_AUDIT = "audit";

    /**
     * @param dir         where the files live
     * @param rotateBytes a file is closed and the next one begun before it grows past this
     * @param keepFiles   how many files to keep, the newest; 0 keeps all
     * @param syncMillis  0: an append returns once its entry is forced to disk; more: the file is
     *                    forced at this interval and an append returns once its entry is written
     * @param waitMillis  an append that cannot get to the file within this fails
     */
    public record Settings(Path dir, long rotateBytes, int keepFiles, long syncMillis, long waitMillis) {
    }

    /** How far the trail is written: the file being written and its length. */
    private record Tail(int file, long length) {
    }

    private final Settings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** Opened once the files were read (in the background: a long file does not hold up the node's start). */
    private final CountDownLatch opened = new CountDownLatch(1);
    private final Object forceLock = new Object();
    private final ScheduledExecutorService syncer;
    private volatile boolean closing;
    private volatile Tail tail;
    /** Bytes written since the trail was opened, over all files, and how many of them are forced. */
    private volatile long writtenTotal;
    private final AtomicLong forcedTotal = new AtomicLong();
    /** Tests hold an append here, with the trail's lock, just before its line is written. */
    volatile Runnable beforeWrite = () -> { };
    /** Tests hold the trail here, just before it forces the file to disk. */
    volatile Runnable beforeForce = () -> { };
    /** Recorded entries that could not be written (see {@link #unwritten()}). */
    private final AtomicLong unwritten = new AtomicLong();
    /** How many times the file was forced: one per group, plus one per rotation. */
    final AtomicInteger forces = new AtomicInteger();

    // under lock only
    private final EntryLines.Encoder encoder = new EntryLines.Encoder();
    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(8192);
    /** Not a channel: a thread interrupted in a write would close a channel for every later append. */
    private volatile FileOutputStream out;
    private int fileNumber;
    private long fileLength;
    private long sequence;
    private String previousHash = EntryLines.ZERO_HASH;
    private boolean nextFileNew;

    public AuditLog(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    AuditLog(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Thread opener = new Thread(this::openInBackground, "fogwerk-audit-open");
        opener.setDaemon(true);
        opener.start();
        if (settings.syncMillis() > 0) {
            syncer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-audit-sync"));
            syncer.scheduleWithFixedDelay(this::syncWritten, settings.syncMillis(), settings.syncMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            syncer = null;
        }
    }

    @Override
    public CompletionStage<AuditEntry> append(AuditEvent event) {
        try {
            Written w = write(event);
            if (settings.syncMillis() == 0) {
                forceUpTo(w.upTo());
            }
            return CompletableFuture.completedFuture(w.entry());
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Queues the entry to be written with the next append, by {@link #flush}, by the background
     * force, or before a reader reads; with {@code sync.interval.ms = 0} it is written (and forced)
     * at once. Queuing is all it does: its line is encoded by whoever writes it.
     */
    @Override
    public void record(AuditEvent event) {
        if (settings.syncMillis() == 0 || closing) {
            append(event).whenComplete((entry, error) -> {
                if (error != null) {
                    unwritten(event, error);
                }
            });
            return;
        }
        waiting.add(new Pending(event, Instant.now(clock), true));
    }

    @Override
    public void flush() {
        if (waiting.isEmpty() || opened.getCount() > 0 || closing) {
            return;
        }
        try {
            for (Pending p : waiting) {
                p.body(); // encoded before the lock is taken, so whoever waits for it waits less
            }
            if (lock.tryLock()) {
                try {
                    writeWaiting(false);
                } finally {
                    lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Audit trail: cannot write recorded entries: {}", e.toString());
        }
    }

    @Override
    public long unwritten() {
        return unwritten.get();
    }

    private void unwritten(AuditEvent event, Throwable error) {
        unwritten.incrementAndGet();
        LOG.error("Audit trail: cannot record {} {} of {} by {}: {}", event.kind(), event.outcome(), event.target(),
                event.source(), error.toString());
    }

    /** Under no lock: writes what {@link #record} queued, if the trail is free and anything waits. */
    private void writeRecorded() {
        if (waiting.isEmpty() || opened.getCount() > 0) {
            return;
        }
        lock.lock();
        try {
            writeWaiting(false);
        } finally {
            lock.unlock();
        }
    }

    private record Written(AuditEntry entry, long upTo) {
    }

    /**
     * An entry waiting to be written; whoever holds the trail's lock writes every one waiting (one
     * system call). Its body is encoded by the thread that queued it, so the holder of the lock only
     * numbers and chains it.
     */
    private static final class Pending {
        static final int WAITING = 0;
        static final int TAKEN = 1;
        static final int GIVEN_UP = 2;

        final AuditEvent event;
        final Instant time;
        private volatile byte[] body;
        /** Queued by {@link #record}: nobody waits for it, a failure is counted in {@link AuditLog#unwritten()}. */
        final boolean recorded;
        final AtomicInteger state = new AtomicInteger(WAITING);
        AuditEntry entry;
        Exception error;
        long upTo;
        volatile boolean done;

        Pending(AuditEvent event, Instant time) {
            this(event, time, false);
        }

        Pending(AuditEvent event, Instant time, boolean recorded) {
            this.event = event;
            this.time = time;
            this.recorded = recorded;
            if (!recorded) {
                body = EntryLines.body(time, event); // on the appending thread, before it takes the lock
            }
        }

        /** The entry's body, encoded by the first thread that needs it. */
        byte[] body() {
            byte[] b = body;
            if (b == null) {
                b = EntryLines.body(time, event);
                body = b;
            }
            return b;
        }
    }

    /** Numbers, chains and writes one entry; returns it and how far the trail is written with it. */
    private Written write(AuditEvent event) throws IOException, InterruptedException {
        if (closing) {
            throw new IllegalStateException("the audit trail is closed");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.waitMillis());
        Pending p = new Pending(event, Instant.now(clock));
        waiting.add(p);
        boolean open = opened.await(settings.waitMillis(), TimeUnit.MILLISECONDS);
        while (!p.done) {
            if (open && lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                try {
                    if (!p.done) {
                        writeWaiting(false);
                    }
                } finally {
                    lock.unlock();
                }
            } else if (p.state.compareAndSet(Pending.WAITING, Pending.GIVEN_UP)) {
                throw new IllegalStateException("the audit trail did not take the entry within "
                        + settings.waitMillis() + " ms (disk too slow or full?)");
            } else {
                // the holder of the lock took it: it is done with it before it lets go of the lock
                lock.lock();
                lock.unlock();
            }
        }
        if (p.error instanceof IOException e) {
            throw e;
        }
        if (p.error instanceof RuntimeException e) {
            throw e;
        }
        return new Written(p.entry, p.upTo);
    }

    /** Under lock: writes every entry waiting, in the order they came, with one system call per file. */
    private void writeWaiting(boolean atClose) {
        List<Pending> batch = new ArrayList<>();
        for (Pending p = waiting.poll(); p != null; p = waiting.poll()) {
            if (p.state.compareAndSet(Pending.WAITING, Pending.TAKEN)) {
                batch.add(p);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        if (closing && !atClose) {
            finish(batch, new IllegalStateException("the audit trail is closed"));
            return;
        }
        try {
            beforeWrite.run();
            writeLocked(batch);
        } catch (IOException | RuntimeException e) {
            finish(batch, e);
            return;
        }
        finish(batch, null);
    }

    private void finish(List<Pending> batch, Exception error) {
        for (Pending p : batch) {
            if (error != null && p.recorded) {
                unwritten(p.event, error);
            }
            p.error = error;
            p.upTo = writtenTotal;
            p.done = true;
        }
    }

    // ---- opening ----

    private void openInBackground() {
        lock.lock();
        try {
            AuditEvent damage = null;
            try {
                damage = open();
            } catch (IOException | RuntimeException e) {
                LOG.error("Audit trail: cannot open {}: {}", settings.dir(), e.toString());
                nextFileNew = true;
            }
            if (damage != null) {
                // the note goes first in the new file, before anything appended while the trail was opened
                try {
                    writeLocked(List.of(new Pending(damage, Instant.now(clock))));
                } catch (IOException | RuntimeException e) {
                    LOG.error("Audit trail: cannot record the damage found in {}: {}", settings.dir(), e.toString());
                }
            }
        } finally {
            opened.countDown();
            lock.unlock();
        }
    }

    /**
     * Finds where the trail ends; a damaged newest file is left as it is and a new file begun.
     * Returns the note about the damage to record first, or {@code null}.
     */
    private AuditEvent open() throws IOException {
        Files.createDirectories(settings.dir());
        List<AuditFiles.Numbered> files = AuditFiles.list(settings.dir());
        if (files.isEmpty()) {
            startFile(1);
            return null;
        }
        AuditFiles.Numbered newest = files.get(files.size() - 1);
        MessageDigest sha = EntryLines.sha256();
        String damage = null;
        for (int i = files.size() - 1; i >= 0; i--) {
            AuditFiles.Numbered f = files.get(i);
            TrailEnd t = TrailEnd.read(f.path(), sha);
            if (f == newest && t.damage() != null) {
                damage = f.path().getFileName() + " line " + t.damageLine() + ": " + t.damage();
            }
            if (t.last() != null) {
                sequence = t.last().sequence();
                previousHash = t.last().hash();
                break;
            }
        }
        if (damage == null) {
            fileNumber = newest.number();
            openChannel(newest.path());
            return null;
        }
        Path next = AuditFiles.file(settings.dir(), newest.number() + 1);
        LOG.error("Audit trail damaged: {}; new entries go to {} after sequence {}", damage, next.getFileName(),
                sequence);
        startFile(newest.number() + 1);
        return new AuditEvent(KIND_AUDIT, "node", "", "", newest.path().getFileName().toString(), "", "damaged",
                damage + "; continued in " + next.getFileName());
    }

    // ---- writing (under lock) ----

    private void startFile(int number) throws IOException {
        closeChannel(true);
        fileNumber = number;
        Path path = AuditFiles.file(settings.dir(), number);
        openChannel(path);
        syncDirectory();
        nextFileNew = false;
    }

    private void openChannel(Path path) throws IOException {
        out = new FileOutputStream(path.toFile(), true);
        fileLength = Files.size(path);
        tail = new Tail(fileNumber, fileLength);
    }

    /** A new file's name survives a power cut only once its folder is synced. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(settings.dir(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Audit trail: cannot sync folder {}: {}", settings.dir(), e.toString());
        }
    }

    /** Closes the file, forced to disk first when {@code force} (a rotation or the trail's close). */
    private void closeChannel(boolean force) {
        if (out != null) {
            try {
                if (force) {
                    out.getFD().sync();
                    forces.incrementAndGet();
                    forcedTotal.accumulateAndGet(writtenTotal, Math::max);
                }
            } catch (IOException e) {
                LOG.warn("Audit trail: forcing {}: {}", AuditFiles.file(settings.dir(), fileNumber), e.toString());
            }
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("Audit trail: closing {}: {}", AuditFiles.file(settings.dir(), fileNumber), e.toString());
            }
            out = null;
        }
    }

    /** Numbers, chains and writes the entries; on failure none of them counts and the next goes to a new file. */
    private void writeLocked(List<Pending> batch) throws IOException {
        long sequenceBefore = sequence;
        String hashBefore = previousHash;
        try {
            if (out == null || nextFileNew) {
                startFile(nextFileNumber());
            }
            lineBuffer.reset();
            for (Pending p : batch) {
                EntryLines.Encoded enc = encoder.finish(sequence + 1, p.time, p.event, p.body(), previousHash);
                byte[] line = enc.line();
                if (fileLength + lineBuffer.size() + line.length > settings.rotateBytes()
                        && fileLength + lineBuffer.size() > 0) {
                    flushLines();
                    rotate();
                }
                lineBuffer.write(line, 0, line.length);
                sequence = enc.entry().sequence();
                previousHash = enc.entry().hash();
                p.entry = enc.entry();
            }
            flushLines();
        } catch (IOException | RuntimeException e) {
            LOG.error("Audit trail: cannot write to {}: {}", AuditFiles.file(settings.dir(), fileNumber), e.toString());
            // whatever part reached the file stays there for verify to report; go on in a new file
            sequence = sequenceBefore;
            previousHash = hashBefore;
            nextFileNew = true;
            closeChannel(false);
            throw e;
        }
    }

    /** Writes what is buffered with one system call. */
    private void flushLines() throws IOException {
        int n = lineBuffer.size();
        if (n == 0) {
            return;
        }
        lineBuffer.writeTo(out);
        lineBuffer.reset();
        fileLength += n;
        writtenTotal += n;
        tail = new Tail(fileNumber, fileLength);
    }

    // ---- forcing ----

    /** Forces the file unless what was written up to {@code upTo} is forced already (by another append's force). */
    private void forceUpTo(long upTo) throws IOException {
        synchronized (forceLock) {
            if (forcedTotal.get() >= upTo) {
                return;
            }
            // no lock: appends go on while the disk syncs; a rotation meanwhile forces the old file itself
            FileOutputStream file = out;
            long written = writtenTotal;
            if (file == null) {
                throw new IOException("the audit trail's file is closed after a write error");
            }
            beforeForce.run();
            try {
                file.getFD().sync();
                forces.incrementAndGet();
            } catch (IOException e) {
                // a rotation may have closed it, and forced it before: then nothing of it is left unforced
                if (forcedTotal.get() < upTo) {
                    throw e;
                }
            }
            forcedTotal.accumulateAndGet(written, Math::max);
        }
    }

    /** The background force of {@code syncMillis > 0}. */
    private void syncWritten() {
        try {
            writeRecorded();
        } catch (RuntimeException e) {
            LOG.error("Audit trail: cannot write recorded entries: {}", e.toString());
        }
        long written = writtenTotal;
        if (written <= forcedTotal.get() || closing) {
            return;
        }
        try {
            forceUpTo(written);
        } catch (IOException | RuntimeException e) {
            LOG.error("Audit trail: cannot force {} to disk: {}", AuditFiles.file(settings.dir(), fileNumber),
                    e.toString());
        }
    }

    private int nextFileNumber() throws IOException {
        List<AuditFiles.Numbered> files = AuditFiles.list(settings.dir());
        int newest = files.isEmpty() ? 0 : files.get(files.size() - 1).number();
        return Math.max(newest, fileNumber) + 1;
    }

    private void rotate() throws IOException {
        int from = fileNumber;
        startFile(fileNumber + 1);
        LOG.info("Audit trail: {} reached {} bytes, continuing in {} after sequence {}",
                AuditFiles.file(settings.dir(), from).getFileName(), settings.rotateBytes(),
                AuditFiles.file(settings.dir(), fileNumber).getFileName(), sequence);
        if (settings.keepFiles() > 0) {
            List<AuditFiles.Numbered> files = AuditFiles.list(settings.dir());
            for (int i = 0; i < files.size() - settings.keepFiles(); i++) {
                Files.deleteIfExists(files.get(i).path());
                LOG.info("Audit trail: deleted {} (keep.files = {})", files.get(i).path().getFileName(),
                        settings.keepFiles());
            }
        }
    }

    // ---- readers ----

    @Override
    public List<AuditEntry> query(AuditQuery q) {
        return reader().query(q);
    }

    @Override
    public AuditVerification verify() {
        return reader().verify();
    }

    /** A reader of the trail as written now, with what it found at start and what was recorded before. */
    private TrailReader reader() {
        try {
            // what the trail found at start (and its note about damage) is part of what readers see
            opened.await(settings.waitMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeRecorded();
        Tail t = tail;
        return t == null ? new TrailReader(settings.dir(), Integer.MAX_VALUE, -1)
                : new TrailReader(settings.dir(), t.file(), t.length());
    }

    @Override
    public void close() {
        closing = true;
        if (syncer != null) {
            syncer.shutdownNow();
        }
        try {
            opened.await(settings.waitMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            // what was recorded goes in before the file is closed
            writeWaiting(true);
            closeChannel(true);
        } finally {
            lock.unlock();
        }
    }
}
