package org.fogwerk.support.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** The end of a component's executor, when the component stops. */
public final class Termination {

    private Termination() {
    }

    /**
     * Waits up to {@code seconds} for the tasks of an executor that was shut down to end. An
     * interrupt ends the wait early and stays set, for the thread's owner to see.
     *
     * @return whether every task has ended
     */
    public static boolean await(ExecutorService executor, long seconds) {
        try {
            return executor.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
