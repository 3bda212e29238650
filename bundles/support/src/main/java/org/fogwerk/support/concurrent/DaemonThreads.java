package org.fogwerk.support.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads of the node's own executors: daemons, so that none keeps the JVM alive after Karaf
 * stops, and named, so that a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads all called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Threads called {@code prefix1}, {@code prefix2}, ... */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> named(prefix + n.incrementAndGet()).newThread(r);
    }
}
