package org.fogwerk.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds the thread that runs it (a writer's hook, a listener) until the test opens it, so the test
 * can look at work stuck halfway; a gate nobody opens lets the thread go after {@code holdSeconds}.
 */
public final class Gate implements Runnable {

    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicBoolean passed = new AtomicBoolean();
    private final long holdSeconds;
    private final boolean once;

    private Gate(long holdSeconds, boolean once) {
        this.holdSeconds = holdSeconds;
        this.once = once;
    }

    /** A gate that holds every thread until it is open. */
    public static Gate closed(long holdSeconds) {
        return new Gate(holdSeconds, false);
    }

    /** A gate that holds only the first thread that runs it; the ones after pass. */
    public static Gate holdingFirst(long holdSeconds) {
        return new Gate(holdSeconds, true);
    }

    @Override
    public void run() {
        if (once && passed.getAndSet(true)) {
            return;
        }
        reached.countDown();
        try {
            open.await(holdSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a thread has reached the gate within {@code seconds}. */
    public boolean reached(long seconds) throws InterruptedException {
        return reached.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets the held thread and every one after it go. */
    public void open() {
        open.countDown();
    }
}
