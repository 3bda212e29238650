package org.fogwerk.support.concurrent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

class TerminationTest {

    @Test
    void anExecutorWhoseTasksEndedHasTerminated() {
        ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.named("termination-test"));
        executor.execute(() -> { });
        executor.shutdown();
        assertTrue(Termination.await(executor, 5));
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.named("termination-test"));
        executor.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        executor.shutdown();
        Thread.currentThread().interrupt();
        try {
            assertFalse(Termination.await(executor, 5));
            assertTrue(Thread.interrupted(), "the interrupt is still set");
        } finally {
            release.countDown();
        }
        assertTrue(Termination.await(executor, 5));
    }
}
