package org.fogwerk.shadow.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.fogwerk.api.shadow.ShadowException;

/**
 * The committed document of every key the writer touched since start, for readers, who must not
 * see a batch before it is on disk; other keys are read from the MVStore, where only committed
 * data can be for them. Each document is kept in its stored form. The parsed form of the most
 * recently written small ones is kept too, within a budget of their stored size: a small fleet's
 * documents stay parsed and are read without parsing. A parsed document takes about seven times
 * its stored bytes; large ones (a thing with a field per tag of a large machine, rewritten every
 * report interval) are parsed again when next changed or read instead, so their trees die young
 * rather than filling the old generation.
 */
final class CommittedShadows {

    /** Stored bytes of a key whose shadow does not exist (deleted, or read and found absent). */
    static final byte[] ABSENT = new byte[0];
    /** The entry of a shadow a batch deletes. */
    static final Entry DELETED = new Entry(ABSENT, null);

    /** Parses stored bytes. */
    interface Parser {
        StoredShadow parse(byte[] stored) throws ShadowException;
    }

    /** One key's committed document: its stored bytes, and its parsed form while the budget holds it. */
    record Entry(byte[] bytes, StoredShadow tree) {

        boolean absent() {
            return bytes == ABSENT;
        }

        /** The document, {@code null} when there is none. */
        StoredShadow document(Parser parser) throws ShadowException {
            if (absent()) {
                return null;
            }
            return tree != null ? tree : parser.parse(bytes);
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long treeBudget;
    private final int largestParsed;
    /** Writer only: the keys whose entry holds a tree, oldest first, with their stored size. */
    private final LinkedHashMap<String, Integer> withTree = new LinkedHashMap<>();
    private long treeBytes;

    /**
     * @param treeBudget    stored bytes of the documents whose parsed form is kept too
     * @param largestParsed the largest stored document whose parsed form is kept (at most the budget)
     */
    CommittedShadows(long treeBudget, int largestParsed) {
        this.treeBudget = treeBudget;
        this.largestParsed = (int) Math.min(largestParsed, treeBudget);
    }

    /** The key's committed document, {@code null} when the writer never touched the key. */
    Entry get(String key) {
        return entries.get(key);
    }

    /** Whether the writer touched the key: then only this holds its committed document. */
    boolean touched(String key) {
        return entries.containsKey(key);
    }

    /** Each touched key whose shadow exists. */
    void forEachPresent(Consumer<String> action) {
        entries.forEach((k, e) -> {
            if (!e.absent()) {
                action.accept(k);
            }
        });
    }

    /**
     * Writer only: marks a key before it is first written, with what the store holds for it
     * ({@code null}: nothing), so readers stop looking at the store for it.
     */
    Entry mark(String key, byte[] stored) {
        Entry fresh = new Entry(stored == null ? ABSENT : stored, null);
        Entry before = entries.putIfAbsent(key, fresh);
        return before != null ? before : fresh;
    }

    /**
     * Writer only: a batch is on disk; the documents it wrote (stored bytes and tree, or
     * {@link #DELETED}) become the committed ones, large ones without their tree.
     */
    void committed(Map<String, Entry> written) {
        for (Map.Entry<String, Entry> e : written.entrySet()) {
            String key = e.getKey();
            Entry entry = e.getValue();
            Integer size = withTree.remove(key);
            if (size != null) {
                treeBytes -= size;
            }
            int length = entry.bytes().length;
            if (entry.absent() || entry.tree() == null) {
                entries.put(key, entry);
            } else if (length <= largestParsed) {
                withTree.put(key, length);
                treeBytes += length;
                entries.put(key, entry);
            } else {
                entries.put(key, new Entry(entry.bytes(), null));
            }
        }
        Iterator<Map.Entry<String, Integer>> oldest = withTree.entrySet().iterator();
        while (treeBytes > treeBudget && oldest.hasNext()) {
            Map.Entry<String, Integer> e = oldest.next();
            oldest.remove();
            treeBytes -= e.getValue();
            entries.computeIfPresent(e.getKey(), (k, c) -> c.tree() == null ? c : new Entry(c.bytes(), null));
        }
    }

    /** Writer only: stored bytes of the documents whose parsed form is kept; for tests. */
    long treeBytes() {
        return treeBytes;
    }
}
