package org.fogwerk.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.audit.AuditVerification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trail on disk. Callers only queue their event; one writer thread takes everything queued,
 * numbers and chains it, writes it with one system call, forces it to disk and only then completes
 * the callers' stages (group commit). Readers see a file only up to what the writer has forced.
 */
final class AuditLog implements AuditTrail, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    /** Kind of the entries the trail writes about itself (damage found at start). */
    static final String KIND_AUDIT = "audit";

    /**
     * @param dir           where the files live
     * @param rotateBytes   a file is closed and the next one begun before it grows past this
     * @param keepFiles     how many files to keep, the newest; 0 keeps all
     * @param queueCapacity appends waiting for the writer beyond this fail at once
     */
    record Settings(Path dir, long rotateBytes, int keepFiles, int queueCapacity) {
    }

    private record Pending(AuditEvent event, CompletableFuture<AuditEntry> done) {
    }

    /** How far the writer has forced: the file being written and its synced length. */
    private record Tail(int file, long length) {
    }

    private static final Pending STOP = new Pending(null, null);

    private final Settings settings;
    private final Clock clock;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closing;
    private volatile Tail tail;
    /** Tests hold the writer here, just before it forces a batch to disk. */
    volatile Runnable beforeForce = () -> { };
    /** How many times the writer forced the file: one per batch (group), plus one per rotation. */
    final AtomicInteger forces = new AtomicInteger();

    // writer thread only
    private final EntryLines.Encoder encoder = new EntryLines.Encoder();
    private FileChannel channel;
    private int fileNumber;
    private long fileLength;
    private long sequence;
    private String previousHash = EntryLines.ZERO_HASH;
    private boolean nextFileNew;

    AuditLog(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    AuditLog(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.writer = new Thread(this::writeLoop, "fogwerk-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public CompletionStage<AuditEntry> append(AuditEvent event) {
        CompletableFuture<AuditEntry> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new IllegalStateException("the audit trail is closed"));
            return done;
        }
        if (waiting.incrementAndGet() > settings.queueCapacity()) {
            waiting.decrementAndGet();
            done.completeExceptionally(new IllegalStateException(
                    "the audit trail is " + settings.queueCapacity() + " entries behind (disk too slow or full?)"));
            return done;
        }
        queue.add(new Pending(event, done));
        return done;
    }

    // ---- writer ----

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        try {
            AuditEvent damage = open();
            if (damage != null) {
                // the note goes first in the new file, before anything queued while the trail was opened
                batch.add(new Pending(damage, new CompletableFuture<>()));
                write(batch);
                batch.clear();
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Audit trail: cannot open {}: {}", settings.dir(), e.toString());
            nextFileNew = true;
        }
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                stop = true;
            }
            queue.drainTo(batch);
            int stopAt = batch.indexOf(STOP);
            if (stopAt >= 0) {
                stop = true;
                // appends queued just before close() are still written
                queue.drainTo(batch);
                batch.remove(stopAt);
            }
            if (!batch.isEmpty()) {
                waiting.addAndGet(-batch.size());
                write(batch);
                batch.clear();
            }
        }
        closeChannel();
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
            FileTail t = readTail(f.path(), sha);
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

    private record FileTail(AuditEntry last, int damageLine, String damage) {
    }

    /** The last entry whose hash is right, and the first problem in the file if any. */
    private static FileTail readTail(Path file, MessageDigest sha) throws IOException {
        ChainCheck check = new ChainCheck();
        AuditEntry[] last = new AuditEntry[1];
        int[] firstBad = new int[1];
        String[] firstProblem = new String[1];
        AuditFiles.readLines(file, -1, (line, bytes, from, to, complete) -> {
            EntryLines.Decoded d = EntryLines.decode(bytes, from, to, sha);
            if (d.readable() && d.hashMatches() && complete) {
                last[0] = d.entry();
            }
            if (!check.line("", line, d, complete) && firstBad[0] == 0) {
                firstBad[0] = line;
                firstProblem[0] = describe(d, complete);
            }
        });
        return new FileTail(last[0], firstBad[0], firstProblem[0]);
    }

    private static String describe(EntryLines.Decoded d, boolean complete) {
        if (!complete) {
            return "incomplete last entry";
        }
        if (!d.readable()) {
            return d.error();
        }
        return d.hashMatches() ? "sequence " + d.entry().sequence() + " does not chain to the entry before it"
                : "sequence " + d.entry().sequence() + " was edited (hash does not match)";
    }

    private void startFile(int number) throws IOException {
        closeChannel();
        fileNumber = number;
        Path path = AuditFiles.file(settings.dir(), number);
        openChannel(path);
        syncDirectory();
        nextFileNew = false;
    }

    private void openChannel(Path path) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        fileLength = channel.size();
        channel.position(fileLength);
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

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("Audit trail: closing {}: {}", AuditFiles.file(settings.dir(), fileNumber), e.toString());
            }
            channel = null;
        }
    }

    private void write(List<Pending> batch) {
        long sequenceBefore = sequence;
        String hashBefore = previousHash;
        List<AuditEntry> written = new ArrayList<>(batch.size());
        try {
            if (channel == null || nextFileNew) {
                startFile(nextFileNumber());
            }
            int buffered = 0;
            List<byte[]> lines = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                EntryLines.Encoded enc = encoder.encode(sequence + 1, Instant.now(clock), p.event(), previousHash);
                if (fileLength + buffered + enc.line().length > settings.rotateBytes() && fileLength + buffered > 0) {
                    flush(lines, buffered);
                    lines.clear();
                    buffered = 0;
                    rotate();
                }
                lines.add(enc.line());
                buffered += enc.line().length;
                sequence = enc.entry().sequence();
                previousHash = enc.entry().hash();
                written.add(enc.entry());
            }
            flush(lines, buffered);
        } catch (IOException | RuntimeException e) {
            LOG.error("Audit trail: cannot write to {}: {}", AuditFiles.file(settings.dir(), fileNumber), e.toString());
            // whatever part of the batch reached the file stays there for verify to report; go on in a new file
            sequence = sequenceBefore;
            previousHash = hashBefore;
            nextFileNew = true;
            closeChannel();
            for (Pending p : batch) {
                if (p.done() != null) {
                    p.done().completeExceptionally(e);
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(written.get(i));
        }
    }

    private int nextFileNumber() throws IOException {
        List<AuditFiles.Numbered> files = AuditFiles.list(settings.dir());
        int newest = files.isEmpty() ? 0 : files.get(files.size() - 1).number();
        return Math.max(newest, fileNumber) + 1;
    }

    /** Writes the lines with one call and forces them to disk. */
    private void flush(List<byte[]> lines, int bytes) throws IOException {
        if (bytes == 0) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        for (byte[] line : lines) {
            buffer.put(line);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        beforeForce.run();
        channel.force(false);
        forces.incrementAndGet();
        fileLength += bytes;
        tail = new Tail(fileNumber, fileLength);
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

    /** Hands over every line of the trail, in order, up to what the writer has forced. */
    private void readAll(FileLines visitor) throws IOException {
        Tail t = tail;
        for (AuditFiles.Numbered f : AuditFiles.list(settings.dir())) {
            if (t != null && f.number() > t.file()) {
                break;
            }
            long limit = t != null && f.number() == t.file() ? t.length() : -1;
            String name = f.path().getFileName().toString();
            AuditFiles.readLines(f.path(), limit, (line, bytes, from, to, complete) -> visitor.line(name, line,
                    bytes, from, to, complete));
        }
    }

    private interface FileLines {
        void line(String file, int line, byte[] bytes, int from, int to, boolean complete);
    }

    @Override
    public List<AuditEntry> query(AuditQuery q) {
        AuditQuery query = q == null ? AuditQuery.newest(0) : q;
        Pattern thing = glob(query.thing());
        Pattern source = glob(query.source());
        Pattern identity = glob(query.identity());
        String kind = query.kind() == null || query.kind().isBlank() ? null : query.kind();
        ArrayDeque<AuditEntry> found = new ArrayDeque<>();
        MessageDigest sha = EntryLines.sha256();
        try {
            readAll((file, line, bytes, from, to, complete) -> {
                EntryLines.Decoded d = EntryLines.decode(bytes, from, to, sha);
                if (!d.readable() || !complete) {
                    return; // listed by verify, not here
                }
                AuditEntry e = d.entry();
                AuditEvent ev = e.event();
                if ((query.since() == null || !e.time().isBefore(query.since()))
                        && matches(thing, ev.thing()) && matches(source, ev.source())
                        && matches(identity, ev.identity()) && (kind == null || kind.equals(ev.kind()))) {
                    found.addLast(e);
                    if (query.limit() > 0 && found.size() > query.limit()) {
                        found.removeFirst();
                    }
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the audit trail in " + settings.dir() + ": " + e, e);
        }
        return new ArrayList<>(found);
    }

    /** {@code *} any text, {@code ?} one character, everything else as it is; {@code null} matches all. */
    static Pattern glob(String glob) {
        if (glob == null || glob.isBlank()) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static boolean matches(Pattern glob, String value) {
        return glob == null || glob.matcher(value).matches();
    }

    @Override
    public AuditVerification verify() {
        ChainCheck check = new ChainCheck();
        MessageDigest sha = EntryLines.sha256();
        try {
            readAll((file, line, bytes, from, to, complete) -> check.line(file, line,
                    EntryLines.decode(bytes, from, to, sha), complete));
        } catch (IOException e) {
            check.problem("cannot read the audit trail in " + settings.dir() + ": " + e);
        }
        return check.result();
    }

    @Override
    public void close() {
        closing = true;
        queue.add(STOP);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        for (Pending p : left) {
            if (p.done() != null) {
                p.done().completeExceptionally(new IllegalStateException("the audit trail is closed"));
            }
        }
    }
}
