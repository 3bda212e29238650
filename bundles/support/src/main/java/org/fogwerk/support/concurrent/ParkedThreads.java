package org.fogwerk.support.concurrent;

import java.util.concurrent.locks.LockSupport;

/**
 * Worker threads that park between rounds (outbox writers, uplink senders): ending one wakes it
 * so it sees it is to stop, then waits a little for it.
 */
public final class ParkedThreads {

    private ParkedThreads() {
    }

    /**
     * Unparks {@code thread} and waits up to {@code millis} for it to end. The caller has
     * already told the thread to stop; an interrupt while waiting is kept for the caller.
     */
    public static void wakeAndJoin(Thread thread, long millis) {
        LockSupport.unpark(thread);
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
