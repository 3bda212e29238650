package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.shadow.ShadowUpdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test helpers: a store in a folder with the default limits, JSON in and out. */
final class Stores {

    static final ObjectMapper JSON = new ObjectMapper();

    private Stores() {
    }

    static ShadowStoreImpl open(Path dir) throws IOException {
        return open(dir, 10_000);
    }

    static ShadowStoreImpl open(Path dir, int maxInflight) throws IOException {
        return new ShadowStoreImpl(new ShadowStoreImpl.Settings(dir, 8192, 6, maxInflight, 0, 10_000));
    }

    /** What a test does with a store. */
    @FunctionalInterface
    interface StoreUse {
        void use(ShadowStoreImpl store) throws Exception;
    }

    /** Opens the store in {@code dir} with the default limits, hands it to {@code use}, and closes it whatever happens. */
    static void inStore(Path dir, StoreUse use) throws Exception {
        ShadowStoreImpl store = open(dir);
        try {
            use.use(store);
        } finally {
            store.close();
        }
    }

    /** A caller that sends {@code thing}'s reported {@code n} = {@code from} to {@code to}, one update each. */
    static Callable<Void> counting(ShadowStoreImpl store, String thing, int from, int to) {
        return () -> {
            for (int i = from; i <= to; i++) {
                store.update(thing, "", ShadowUpdate.reported(Map.of("n", i)));
            }
            return null;
        };
    }

    /** Waits for every caller, each up to {@code seconds}; fails with the first that failed. */
    static void allDone(List<? extends Future<?>> callers, long seconds) throws Exception {
        for (Future<?> f : callers) {
            f.get(seconds, TimeUnit.SECONDS);
        }
    }

    /** Runs every caller on a thread of its own and waits for all of them, as {@link #allDone} does. */
    static void runAll(List<? extends Callable<?>> callers, long seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Callable<?> caller : callers) {
                done.add(pool.submit(caller));
            }
            allDone(done, seconds);
        } finally {
            pool.shutdown();
        }
    }

    static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode tree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The tree of a value as if it had been read from JSON, so numbers compare as in a document. */
    static JsonNode tree(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends an update written with single quotes for readability. */
    static JsonNode update(ShadowStoreImpl store, String thing, String shadow, String json) throws Exception {
        return tree(store.update(thing, shadow, bytes(json)));
    }
}
