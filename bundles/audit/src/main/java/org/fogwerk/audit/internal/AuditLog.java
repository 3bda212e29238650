package org.fogwerk.audit.internal;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
import java.util.stream.LongStream;

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
 *
 * <p>With a sync interval, {@link #journal} and {@link #record} copy their entry into the trail's
 * {@link Journal} (a memory-mapped file: no system call, no hashing on the caller's thread, and
 * the entry survives the node being killed once the call returns); the background thread chains
 * what the journal holds into the files at every interval, and so does every append and every
 * reader before it reads, so the order of the trail is the order entries came.
 */
public class AuditLog implements AuditTrail, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /** Kind of the entries the trail writes about itself (damage found at start). */
    static final String KIND_AUDIT = "audit";
    /** The journal's ring: about 3,000 entries of a machine write's size between two intervals. */
    static final int JOURNAL_RING = 1 << 20;
    private static final CompletionStage<Void> ON_RECORD = CompletableFuture.completedStage(null);
    private static final Comparator<Pending> BY_TIME = Comparator.comparing(p -> p.time);

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
    private record Tail(int file, long length) { }

    private final Settings settings;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** Opened once the files were read (in the background: a long file does not hold up the node's start). */
    private final CountDownLatch opened = new CountDownLatch(1);
    private final Object forceLock = new Object();
    private final ScheduledExecutorService syncer;
    private volatile boolean closing;
    /** Open once the trail is (with a sync interval); {@code null} otherwise. */
    private volatile Journal journal;
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
    /** The open file's identity on the disk, to see that nobody replaced it ({@link AuditFiles#identity}). */
    private Object outIdentity;
    private int fileNumber;
    private long fileLength;
    private long sequence;
    private String previousHash = EntryLines.ZERO_HASH;
    private boolean nextFileNew;
    private long backoffMillis;
    private volatile long retryAt = System.nanoTime();

    public AuditLog(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    AuditLog(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        DaemonThreads.named("fogwerk-audit-open").newThread(this::openInBackground).start();
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
     * Puts the entry in the journal (on record once this returns, chained with the next append, by
     * {@link #flush}, by the background thread, or before a reader reads); where the journal is
     * full or there is none ({@code sync.interval.ms = 0}) it is appended. Only while the trail is
     * still opening is it queued in memory, to be written once the trail is open.
     */
    @Override
    public void record(AuditEvent event) {
        Journal j = journal;
        if (j != null && !closing && j.put(Instant.now(clock), event)) {
            return;
        }
        if (j == null && settings.syncMillis() > 0 && !closing) {
            waiting.add(new Pending(event, Instant.now(clock), true)); // the trail is still opening
            return;
        }
        // a full journal: on record before this returns all the same, and in its place
        append(event).whenComplete((entry, error) -> {
            if (error != null) {
                unwritten(event, error);
            }
        });
    }

    /**
     * Puts the entry in the journal and returns at once; where the journal cannot take it (no sync
     * interval, the trail still opening, the journal full), appends it.
     */
    @Override
    public CompletionStage<Void> journal(AuditEvent event) {
        Journal j = journal;
        if (j != null && !closing && j.put(Instant.now(clock), event)) {
            return ON_RECORD;
        }
        return append(event).thenApply(entry -> null);
    }

    /** Whether entries wait in the journal or the queue. */
    private boolean nothingWaiting() {
        Journal j = journal;
        return waiting.isEmpty() && (j == null || !j.holdsEntries());
    }

    @Override
    public void flush() {
        if (!nothingWaiting() && opened.getCount() == 0 && !closing && lock.tryLock()) {
            try {
                writeWaiting(false);
            } catch (RuntimeException e) {
                LOG.error("Audit trail: cannot write recorded entries: {}", e.toString());
            } finally {
                lock.unlock();
            }
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
        if (nothingWaiting() || opened.getCount() > 0) {
            return;
        }
        lock.lock();
        try {
            writeWaiting(false);
        } finally {
            lock.unlock();
        }
    }

    private record Written(AuditEntry entry, long upTo) { }

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

    /**
     * Under lock: writes every entry waiting, the journal's first, in the order they came, with one
     * system call per file; the journal's space is freed once they are written.
     */
    private void writeWaiting(boolean atClose) {
        List<Pending> queued = new ArrayList<>();
        for (Pending p = waiting.poll(); p != null; p = waiting.poll()) {
            if (p.state.compareAndSet(Pending.WAITING, Pending.TAKEN)) {
                queued.add(p);
            }
        }
        // the journal after the queue: an entry journaled before a queued one came is in it then
        List<Pending> batch = new ArrayList<>();
        Journal j = journal;
        Journal.Batch fromJournal = null;
        try {
            fromJournal = j == null ? null : j.take();
        } catch (RuntimeException e) { // not used any more: entries are appended
            LOG.error("Audit trail: cannot read its journal {}: {}; entries are appended from now on", j.file(),
                    e.toString());
            journal = null;
        }
        if (fromJournal != null) {
            for (Journal.Taken t : fromJournal.entries()) {
                batch.add(new Pending(t.event(), t.time(), t.position()));
            }
        }
        if (batch.isEmpty() && queued.isEmpty()) {
            return;
        }
        if (!queued.isEmpty()) {
            batch.addAll(queued);
            batch.sort(BY_TIME); // stable: entries of one time keep their order
        }
        if (closing && !atClose) {
            finish(batch, new IllegalStateException("the audit trail is closed"));
            return;
        }
        try {
            writeLocked(batch);
            backoffMillis = 0;
        } catch (IOException | RuntimeException e) {
            backoffMillis = Math.min(Math.max(settings.syncMillis(), backoffMillis * 2), 30_000);
            retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            List<Pending> failed = batch.stream().filter(p -> p.entry == null).toList();
            if (fromJournal != null) {
                j.release(fromJournal, failed.stream().filter(p -> p.journaled).mapToLong(p -> p.journalPosition));
            }
            finish(batch.stream().filter(p -> p.entry != null).toList(), null);
            finish(failed, e);
            return;
        }
        if (fromJournal != null) {
            j.release(fromJournal, LongStream.empty());
        }
        finish(batch, null);
    }

    private void finish(List<Pending> batch, Exception error) {
        for (Pending p : batch) {
            if (error != null && p.recorded && !p.journaled) {
                unwritten(p.event, error);
            }
            p.error = error;
            p.upTo = writtenTotal;
            p.done = true;
        }
    }

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
            if (!nextFileNew) {
                // without a sync interval the journal is not used, but what it kept is chained
                journal = JournalRecovery.open(settings.dir(), JOURNAL_RING, settings.syncMillis() > 0,
                        Instant.now(clock), entries -> {
                            writeLocked(entries);
                            forceUpTo(writtenTotal);
                        });
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
        TrailEnd.Found end = TrailEnd.find(files);
        AuditFiles.Numbered newest = end.newest();
        String damage = end.damage();
        sequence = end.sequence();
        previousHash = end.hash();
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

    private void startFile(int number) throws IOException {
        closeChannel(true);
        fileNumber = number;
        Path path = AuditFiles.file(settings.dir(), number);
        openChannel(path);
        AuditFiles.syncFolder(settings.dir());
        nextFileNew = false;
    }

    private void openChannel(Path path) throws IOException {
        out = new FileOutputStream(path.toFile(), true);
        outIdentity = AuditFiles.identity(path);
        fileLength = Files.size(path);
        tail = new Tail(fileNumber, fileLength);
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
        int inFile = 0; // entries of the batch written before a rotation
        try {
            AuditEvent replaced = out == null || nextFileNew ? null : AuditFiles.replaced(settings.dir(), fileNumber,
                    outIdentity, fileLength);
            if (out == null || nextFileNew || replaced != null) {
                startFile(AuditFiles.nextNumber(settings.dir(), fileNumber));
            }
            if (replaced != null) {
                batch = new ArrayList<>(batch);
                batch.add(0, new Pending(replaced, Instant.now(clock)));
            }
            beforeWrite.run();
            lineBuffer.reset();
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                EntryLines.Encoded enc = encoder.finish(sequence + 1, p.time, p.event, p.body(), previousHash);
                byte[] line = enc.line();
                if (fileLength + lineBuffer.size() + line.length > settings.rotateBytes()
                        && fileLength + lineBuffer.size() > 0) {
                    flushLines();
                    inFile = i;
                    sequenceBefore = sequence;
                    hashBefore = previousHash;
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
            // the chain goes on after the entries written before a rotation (they count); a part of
            // a line that reached the file stays there for verify to report; go on in a new file
            sequence = sequenceBefore;
            previousHash = hashBefore;
            batch.subList(inFile, batch.size()).forEach(p -> p.entry = null);
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
            if (System.nanoTime() - retryAt >= 0) { // after a failure, retries back off up to 30 s
                writeRecorded();
            }
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

    private void rotate() throws IOException {
        int from = fileNumber;
        startFile(fileNumber + 1);
        LOG.info("Audit trail: {} reached {} bytes, continuing in {} after sequence {}",
                AuditFiles.file(settings.dir(), from).getFileName(), settings.rotateBytes(),
                AuditFiles.file(settings.dir(), fileNumber).getFileName(), sequence);
        AuditFiles.keepNewest(settings.dir(), settings.keepFiles());
    }

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
        Journal j = journal;
        if (j != null) {
            j.close(); // what it holds is written below
        }
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
