package org.fogwerk.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Bytes this process has written, from /proc/self/io (Linux); -1 where it cannot be read. */
public final class ProcIo {

    private static final Path IO = Paths.get("/proc/self/io");

    private ProcIo() {
    }

    /** Bytes passed to write calls (wchar). */
    public static long writeCalls() {
        return field("wchar");
    }

    /** Bytes sent to the storage layer (write_bytes). */
    public static long storageWrites() {
        return field("write_bytes");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(IO)) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
