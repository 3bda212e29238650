package org.fogwerk.camel.internal.edge;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects items into batches that close at a number of items, at a number of bytes, or when the
 * first item has waited the linger time. A batch never exceeds the byte limit unless one item
 * alone does (that item then travels alone). Thread-safe.
 */
final class Batcher<T> {

    private final int maxItems;
    private final long maxBytes;
    private final long lingerMillis;
    private final Clock clock;
    private List<T> items;
    private long bytes;
    private long firstAt;

    /**
     * @param maxItems     items per batch, at least 1
     * @param maxBytes     bytes per batch, {@code Long.MAX_VALUE} for no limit
     * @param lingerMillis how long the first item may wait, {@code Long.MAX_VALUE} for ever
     */
    Batcher(int maxItems, long maxBytes, long lingerMillis, Clock clock) {
        if (maxItems < 1 || maxBytes < 1 || lingerMillis < 1) {
            throw new IllegalArgumentException("batch limits must be at least 1");
        }
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
        this.lingerMillis = lingerMillis;
        this.clock = clock;
    }

    /**
     * Adds an item of {@code size} bytes and hands every batch that closes to {@code out} (none,
     * one, or two when the item does not fit the pending batch and fills a batch of its own).
     *
     * @return {@code true} when the item started a new batch (its linger time starts now)
     */
    boolean add(T item, long size, Consumer<List<T>> out) {
        List<T> full1 = null;
        List<T> full2 = null;
        boolean started;
        synchronized (this) {
            if (items != null && bytes + size > maxBytes) {
                full1 = take();
            }
            started = items == null;
            if (started) {
                items = new ArrayList<>(Math.min(maxItems, 1024));
                bytes = 0;
                firstAt = clock.millis();
            }
            items.add(item);
            bytes += size;
            if (items.size() >= maxItems || bytes >= maxBytes) {
                full2 = take();
            }
        }
        if (full1 != null) {
            out.accept(full1);
        }
        if (full2 != null) {
            out.accept(full2);
        }
        return started && full2 == null;
    }

    /** The pending batch if its first item has waited the linger time, else {@code null}. */
    synchronized List<T> takeIfLingered() {
        if (items != null && clock.millis() - firstAt >= lingerMillis) {
            return take();
        }
        return null;
    }

    /** The pending batch whatever its age, or {@code null} when empty. */
    synchronized List<T> takeAll() {
        return items == null ? null : take();
    }

    /** When the pending batch is due by linger, or {@code Long.MAX_VALUE} when there is none. */
    synchronized long deadline() {
        return items == null || lingerMillis == Long.MAX_VALUE ? Long.MAX_VALUE : firstAt + lingerMillis;
    }

    private List<T> take() {
        List<T> b = items;
        items = null;
        bytes = 0;
        return b;
    }
}
