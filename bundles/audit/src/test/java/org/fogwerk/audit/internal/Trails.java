package org.fogwerk.audit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;

/** Opens real trails in a test folder and reads their files as text. */
final class Trails {

    private Trails() {
    }

    static AuditLog open(Path dir) {
        return open(dir, 16L * 1024 * 1024);
    }

    /** A trail with the shipped settings: entries forced to disk every 100 ms. */
    static AuditLog open(Path dir, long rotateBytes) {
        return new AuditLog(settings(dir, rotateBytes, 0, 100));
    }

    /** A trail that forces every entry to disk before it acknowledges it. */
    static AuditLog forcingEach(Path dir) {
        return new AuditLog(settings(dir, 16L * 1024 * 1024, 0, 0));
    }

    static AuditLog.Settings settings(Path dir, long rotateBytes, int keepFiles, long syncMillis) {
        return new AuditLog.Settings(dir, rotateBytes, keepFiles, syncMillis, 5000);
    }

    static AuditEvent write(String thing, String tag, Object value) {
        return new AuditEvent(AuditEvent.KIND_WRITE, "shell", "admin", thing, "opcua-" + thing + "/" + tag,
                String.valueOf(value), "accepted", "");
    }

    /** Appends {@code n} writes and waits until all are on disk. */
    static List<AuditEntry> appendWrites(AuditLog log, int n) throws Exception {
        List<AuditEntry> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(log.append(write("press01", "speed", i)).toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        return out;
    }

    static Path file(Path dir, int number) {
        return AuditFiles.file(dir, number);
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /** Everything the trail folder holds, as text (the journal's bytes one character each). */
    static String allText(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                b.append(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }
}
