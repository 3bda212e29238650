package org.fogwerk.core.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO queue whose bound may be raised while it runs. Its ring grows by doubling only
 * when values actually wait, so a queue allowed to hold a connection's whole tag list costs
 * memory only during a burst, and nothing is allocated per value. Offers never block.
 */
final class ElasticQueue<T> {

    private static final int INITIAL = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private Object[] ring;
    private int head;
    private int size;
    private volatile int limit;

    ElasticQueue(int limit) {
        this.limit = limit;
        this.ring = new Object[Math.min(INITIAL, limit)];
    }

    /** Raises (or lowers) the bound; values already waiting stay. */
    void limit(int newLimit) {
        limit = newLimit;
    }

    int limit() {
        return limit;
    }

    boolean offer(T value) {
        lock.lock();
        try {
            if (size >= limit) {
                return false;
            }
            if (size == ring.length) {
                grow();
            }
            ring[(head + size) % ring.length] = value;
            size++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes the oldest value, or returns {@code null} when empty. */
    T poll() {
        lock.lock();
        try {
            return size == 0 ? null : removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to the timeout for a value, then moves it and up to {@code max - 1} more into the target. */
    int drainTo(List<? super T> target, int max, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (size == 0) {
                if (nanos <= 0) {
                    return 0;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return moveTo(target, max);
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} waiting values into the target without waiting. */
    int drainTo(List<? super T> target, int max) {
        lock.lock();
        try {
            return moveTo(target, max);
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        return size() == 0;
    }

    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    private int moveTo(List<? super T> target, int max) {
        int n = Math.min(max, size);
        for (int i = 0; i < n; i++) {
            target.add(removeFirst());
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    private T removeFirst() {
        T value = (T) ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        return value;
    }

    private void grow() {
        int capacity = (int) Math.min((long) ring.length * 2, Math.max(limit, ring.length + 1));
        Object[] larger = new Object[capacity];
        for (int i = 0; i < size; i++) {
            larger[i] = ring[(head + i) % ring.length];
        }
        ring = larger;
        head = 0;
    }
}
