package org.fogwerk.shadow.internal;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.Map;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowUpdate;

/**
 * The child JVM of {@link CrashTest}: updates as fast as it can from a few threads and prints
 * {@code <thing> <version>} for every update the store acknowledged, until it is killed.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        ShadowStoreImpl store = Stores.open(Paths.get(args[0]));
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        for (int t = 0; t < threads; t++) {
            String thing = "crash" + t;
            Thread writer = new Thread(() -> {
                try {
                    for (long n = 1;; n++) {
                        ShadowDocument d = store.update(thing, "", ShadowUpdate.reported(Map.of("n", n,
                                "payload", "x".repeat(200))));
                        synchronized (out) {
                            out.println(thing + " " + d.version() + " " + d.reported().get("n"));
                        }
                    }
                } catch (Exception e) {
                    synchronized (out) {
                        out.println("error " + e);
                    }
                }
            });
            writer.start();
        }
        Thread.currentThread().join();
    }
}
