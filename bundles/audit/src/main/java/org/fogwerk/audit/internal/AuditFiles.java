package org.fogwerk.audit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fogwerk.api.audit.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The trail's files, {@code audit-000001.log}, {@code audit-000002.log}, ..., and reading them line by line. */
final class AuditFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AuditFiles.class);
    private static final Pattern NAME = Pattern.compile("audit-(\\d{6,9})\\.log");

    private AuditFiles() {
    }

    record Numbered(int number, Path path) {
    }

    static Path file(Path dir, int number) {
        return dir.resolve(String.format("audit-%06d.log", number));
    }

    /** The file's identity on the disk (device and inode), {@code null} when it is gone or unknown. */
    static Object identity(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The note to record when the file the trail writes to is no longer the one at its name, or no
     * longer as the trail left it: it was replaced (an editor, {@code sed -i}, a copy), removed, cut
     * ({@code truncate}) or written to behind the node's back, and what would be written to it would
     * be lost with it or glued to a cut line. {@code null} while it is the same file, {@code length}
     * bytes long.
     */
    static AuditEvent replaced(Path dir, int number, Object identity, long length) {
        Path file = file(dir, number);
        Object now = null;
        long size = -1;
        try {
            // one look at the file for both: this runs before every batch the trail writes
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            now = attrs.fileKey();
            size = attrs.size();
        } catch (IOException e) {
            // gone: the identity tells
        }
        boolean same = identity == null || identity.equals(now);
        if (same && (size < 0 || size == length)) {
            return null;
        }
        String what = file.getFileName() + (now == null ? " was removed" : !same ? " was replaced by another file"
                : size < length ? " was cut from " + length + " to " + size + " bytes"
                : " was written to by something else (" + length + " bytes grew to " + size + ")")
                + " while the node wrote to it";
        LOG.error("Audit trail: {}; new entries go to {}: compare it with a copy of the trail", what,
                file(dir, number + 1).getFileName());
        return new AuditEvent(AuditLog.KIND_AUDIT, "node", "", "", file.getFileName().toString(), "", "damaged",
                what + "; continued in the next file");
    }

    /** The trail's files in order; other files in the folder are left alone. */
    static List<Numbered> list(Path dir) throws IOException {
        List<Numbered> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "audit-*.log")) {
            for (Path p : stream) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.add(new Numbered(Integer.parseInt(m.group(1)), p));
                }
            }
        }
        files.sort(Comparator.comparingInt(Numbered::number));
        return files;
    }

    /**
     * The number of the file to begin after a failed write: the next after the newest, or the
     * newest itself when it is still empty (begun after a failure and never written), so a disk
     * that keeps failing does not leave a file per retry.
     */
    static int nextNumber(Path dir, int current) throws IOException {
        List<Numbered> files = list(dir);
        Numbered newest = files.isEmpty() ? null : files.get(files.size() - 1);
        if (newest != null && newest.number() >= current && Files.size(newest.path()) == 0) {
            return newest.number();
        }
        return Math.max(newest == null ? 0 : newest.number(), current) + 1;
    }

    /** A new file's name survives a power cut only once its folder is synced. */
    static void syncFolder(Path dir) {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Audit trail: cannot sync folder {}: {}", dir, e.toString());
        }
    }

    /** Deletes all but the newest {@code keep} files ({@code 0}: keeps all). */
    static void keepNewest(Path dir, int keep) throws IOException {
        if (keep > 0) {
            List<Numbered> files = list(dir);
            for (int i = 0; i < files.size() - keep; i++) {
                Files.deleteIfExists(files.get(i).path());
                LOG.info("Audit trail: deleted {} (keep.files = {})", files.get(i).path().getFileName(), keep);
            }
        }
    }

    /** Receives the lines of a file. */
    interface LineVisitor {
        /**
         * @param line     the line number, from 1
         * @param complete {@code false} for a last line without its newline (cut off while being written)
         */
        void line(int line, byte[] bytes, int from, int to, boolean complete);
    }

    /** Reads at most {@code limit} bytes of the file ({@code < 0}: all of it) and hands over each line. */
    static void readLines(Path file, long limit, LineVisitor visitor) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = limit < 0 ? in.readAllBytes() : in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 16));
        }
        int start = 0;
        int line = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                visitor.line(++line, bytes, start, i, true);
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            visitor.line(++line, bytes, start, bytes.length, false);
        }
    }
}
