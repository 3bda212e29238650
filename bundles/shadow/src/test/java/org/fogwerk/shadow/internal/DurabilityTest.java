package org.fogwerk.shadow.internal;

import static org.fogwerk.shadow.internal.Stores.bytes;
import static org.fogwerk.shadow.internal.Stores.tree;
import static org.fogwerk.shadow.internal.Stores.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.testing.Gate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reopening, group commit and reads that do not wait for the writer. */
class DurabilityTest {

    @TempDir
    Path dir;

    @Test
    void reopenKeepsEverything() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        update(store, "press01", "", "{'state':{'desired':{'speed':10},'reported':{'speed':5,'list':[1,2]}}}");
        update(store, "press01", "maint", "{'state':{'reported':{'hours':12.5}}}");
        update(store, "gone", "", "{'state':{'reported':{'a':1}}}");
        update(store, "gone", "", "{'state':{'reported':{'a':2}}}");
        store.delete("gone", "", null);
        ShadowDocument before = store.get("press01", "");
        store.close();

        Stores.inStore(dir, reopened -> {
            ShadowDocument after = reopened.get("press01", "");
            assertEquals(before, after);
            assertEquals(Map.of("speed", 10L), after.delta());
            assertEquals(12.5, reopened.get("press01", "maint").reported().get("hours"));
            assertEquals(java.util.Set.of("press01"), reopened.things());
            assertEquals(3, update(reopened, "gone", "", "{'state':{'reported':{'a':3}}}").get("version").asLong(),
                    "the version of a deleted shadow survives a restart");
        });
    }

    @Test
    void concurrentUpdatesShareDiskCommits() throws Exception {
        Stores.inStore(dir, store -> {
            int threads = 8;
            int perThread = 125;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            long commitsBefore = store.commitCount();
            for (int t = 0; t < threads; t++) {
                String thing = "m" + t;
                Callable<Void> updates = Stores.counting(store, thing, 1, perThread);
                done.add(pool.submit(() -> {
                    start.await();
                    return updates.call();
                }));
            }
            start.countDown();
            Stores.allDone(done, 60);
            pool.shutdown();
            long commits = store.commitCount() - commitsBefore;
            for (int t = 0; t < threads; t++) {
                ShadowDocument d = store.get("m" + t, "");
                assertEquals(perThread, d.version());
                assertEquals((long) perThread, d.reported().get("n"));
            }
            assertTrue(commits <= 500, "1000 updates from 8 threads took " + commits + " disk commits");
            LoggerHolder.LOG.info("1000 updates from 8 threads: {} disk commits", commits);
        });
    }

    @Test
    void readsDoNotWaitForTheWriterAndSeeOnlyCommittedState() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        Gate writer = Gate.closed(10);
        try {
            update(store, "t", "", "{'state':{'reported':{'a':1}}}");
            store.beforeBatch = writer;
            Future<?> pendingUpdate = Executors.newSingleThreadExecutor().submit(
                    () -> store.update("t", "", bytes("{'state':{'reported':{'a':2}}}")));
            assertTrue(writer.reached(5));
            // the writer is stuck; a read still answers at once, with the committed document
            assertEquals(1, store.get("t", "").version());
            assertEquals(1L, store.get("t", "").reported().get("a"));
            writer.open();
            pendingUpdate.get(5, TimeUnit.SECONDS);
            assertEquals(2, store.get("t", "").version());
            assertEquals(tree(bytes("{'a':2}")), tree(store.get("t", "").reported()));
        } finally {
            writer.open();
            store.close();
        }
    }

    @Test
    void manyThingsAndConcurrentReadersStayConsistent() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        Map<String, Long> seen = new ConcurrentHashMap<>();
        try {
            List<Callable<Void>> callers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                String thing = "w" + t;
                callers.add(Stores.counting(store, thing, 1, 200));
                callers.add(() -> {
                    long last = 0;
                    while (last < 200) {
                        try {
                            ShadowDocument d = store.get(thing, "");
                            assertTrue(d.version() >= last, "versions never go back");
                            assertEquals(d.version(), d.reported().get("n"));
                            last = d.version();
                        } catch (org.fogwerk.api.shadow.ShadowException e) {
                            assertEquals(404, e.code());
                        }
                    }
                    seen.put(thing, last);
                    return null;
                });
            }
            Stores.runAll(callers, 60);
            assertEquals(Map.of("w0", 200L, "w1", 200L), seen);
        } finally {
            store.close();
        }
    }

    @Test
    void compactionsKeepEveryDocumentAndTheFileSmall() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        int things = 100;
        int rounds = 15;
        try {
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < things; i++) {
                    store.update("c" + i, "", ShadowUpdate.reported(Map.of("n", round, "pad", "z".repeat(300))));
                }
            }
            assertTrue(store.commitCount() >= 1500, "every sequential update was its own commit, so the writer"
                    + " compacted at least twice");
        } finally {
            store.close();
        }
        long size = java.nio.file.Files.size(dir.resolve(StoreFile.FILE_NAME));
        LoggerHolder.LOG.info("after {} commits of {} shadows: file {} bytes", things * rounds, things, size);
        assertTrue(size < 8 << 20, "the file stays small: " + size);
        Stores.inStore(dir, reopened -> {
            for (int i = 0; i < things; i++) {
                ShadowDocument d = reopened.get("c" + i, "");
                assertEquals(rounds, d.version());
                assertEquals((long) rounds, d.reported().get("n"));
            }
        });
    }

    static final class LoggerHolder {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DurabilityTest.class);
    }
}
