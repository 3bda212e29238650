package org.fogwerk.audit.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.audit.AuditEvent;

/**
 * The child JVM of {@link CrashTest}: several threads append writes as fast as the trail takes them
 * and print the sequence of each acknowledged entry, until the test kills the process; with
 * {@code journal}, they put them on record through the journal and print 0 for the sequence.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        boolean journal = args.length > 2 && "journal".equals(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        // small files, so the kill may also land on a rotation; the shipped settings (forced every 100 ms):
        // an entry is acknowledged once written, which is what has to survive the kill
        AuditLog log = new AuditLog(Trails.settings(dir, 64 * 1024, 0, 100));
        AtomicLong n = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            String thing = "press" + t;
            Thread w = new Thread(() -> {
                while (true) {
                    long v = n.incrementAndGet();
                    AuditEvent e = new AuditEvent(AuditEvent.KIND_WRITE, "route", "route-" + thing, thing,
                            "opcua-" + thing + "/speed", String.valueOf(v), "accepted", "");
                    try {
                        // the journal does not number an entry: it is chained later
                        long seq = journal ? 0 : log.append(e).toCompletableFuture().get().sequence();
                        if (journal) {
                            log.journal(e).toCompletableFuture().get();
                        }
                        synchronized (out) {
                            out.println(seq + " " + thing + " " + v);
                        }
                    } catch (Exception ex) {
                        return;
                    }
                }
            });
            w.start();
        }
        Thread.currentThread().join();
    }
}
