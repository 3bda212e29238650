package org.fogwerk.shadow.internal;

import static org.fogwerk.shadow.internal.Stores.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.testing.Gate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerTest {

    @TempDir
    Path dir;

    static final class Recorder implements ShadowListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void accepted(ShadowDocument previous, ShadowDocument current) {
            events.add("accepted " + (previous == null ? "-" : previous.version()) + "->" + current.version());
        }

        @Override
        public void delta(ShadowDocument current) {
            events.add("delta " + current.version() + " " + current.delta());
        }

        @Override
        public void deleted(String thing, String shadow, long version) {
            events.add("deleted " + thing + "/" + shadow + " " + version);
        }
    }

    @Test
    void listenersHearAcceptedUpdatesDeltasAndDeletesInOrder() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        Recorder recorder = new Recorder();
        store.addListener(recorder);
        try {
            update(store, "t", "", "{'state':{'reported':{'speed':1}}}");
            update(store, "t", "", "{'state':{'desired':{'speed':2}}}");
            update(store, "t", "", "{'state':{'reported':{'speed':2}}}");
            store.delete("t", "", null);
            await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.events.size() == 5);
            assertEquals(List.of("accepted -->1", "accepted 1->2", "delta 2 {speed=2}", "accepted 2->3",
                    "deleted t/ 3"), recorder.events);
        } finally {
            store.close();
        }
    }

    @Test
    void eventsCarryTheClientTokenOfTheirRequestAndDeleteTellsTheVersion() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        List<String> events = new CopyOnWriteArrayList<>();
        store.addListener(new ShadowListener() {
            @Override
            public void accepted(ShadowDocument previous, ShadowDocument current, String clientToken) {
                events.add("accepted " + current.version() + " " + clientToken);
            }

            @Override
            public void delta(ShadowDocument current, String clientToken) {
                events.add("delta " + current.version() + " " + clientToken);
            }

            @Override
            public void deleted(String thing, String shadow, long version, String clientToken) {
                events.add("deleted " + version + " " + clientToken);
            }
        });
        try {
            update(store, "t", "s", "{'state':{'desired':{'speed':2}},'clientToken':'json-1'}");
            store.update("t", "s", new ShadowUpdate(null, Map.of("speed", 1), 1L, "obj-2"));
            store.update("t", "s", ShadowUpdate.reported(Map.of("speed", 2)));
            ShadowException missing = org.junit.jupiter.api.Assertions.assertThrows(ShadowException.class,
                    () -> store.delete("t", "other", null, "del-0"));
            assertEquals(404, missing.code());
            assertEquals("del-0", missing.clientToken());
            ShadowException conflict = org.junit.jupiter.api.Assertions.assertThrows(ShadowException.class,
                    () -> store.delete("t", "s", 1L, "del-1"));
            assertEquals(409, conflict.code());
            assertEquals("del-1", conflict.clientToken());
            assertEquals(3, store.delete("t", "s", null, "del-2"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> events.size() == 6);
            assertEquals(List.of("accepted 1 json-1", "delta 1 json-1", "accepted 2 obj-2", "delta 2 obj-2",
                    "accepted 3 null", "deleted 3 del-2"), events);
        } finally {
            store.close();
        }
    }

    @Test
    void theObjectFormRemovesAWholeSection() throws Exception {
        Stores.inStore(dir, store -> {
            store.update("t", "", new ShadowUpdate(Map.of("a", 1, "b", 2), Map.of("a", 0), null, null));
            ShadowDocument after = store.update("t", "", ShadowUpdate.withoutDesired());
            assertTrue(after.desired().isEmpty());
            assertTrue(after.delta().isEmpty());
            assertEquals(Map.of("a", 0L), after.reported());
            assertTrue(!after.metadata().containsKey("desired"), after.metadata().toString());
            ShadowDocument noReported = store.update("t", "",
                    new ShadowUpdate(null, null, 2L, "x", Map.of(), false, true));
            assertTrue(noReported.reported().isEmpty());
            assertEquals(3, noReported.version());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new ShadowUpdate(Map.of("a", 1), null, null, null, Map.of(), true, false));
        });
    }

    @Test
    void aThrowingListenerDoesNotStopOthers() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        Recorder recorder = new Recorder();
        store.addListener(new ShadowListener() {
            @Override
            public void accepted(ShadowDocument previous, ShadowDocument current) {
                throw new IllegalStateException("listener bug");
            }
        });
        store.addListener(recorder);
        try {
            update(store, "t", "", "{'state':{'reported':{'a':1}}}");
            update(store, "t", "", "{'state':{'reported':{'a':2}}}");
            await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.events.size() == 2);
        } finally {
            store.close();
        }
    }

    @Test
    void aStuckListenerNeverBlocksTheWriter() throws Exception {
        ShadowStoreImpl store = new ShadowStoreImpl(new ShadowStoreImpl.Settings(dir, 8192, 6, 10_000, 0, 16));
        Gate listener = Gate.closed(30);
        store.addListener(new ShadowListener() {
            @Override
            public void accepted(ShadowDocument previous, ShadowDocument current) {
                listener.run();
            }
        });
        try {
            store.update("t", "", ShadowUpdate.reported(Map.of("n", 0)));
            assertTrue(listener.reached(5));
            for (int i = 1; i <= 200; i++) {
                store.update("t", "", ShadowUpdate.reported(Map.of("n", i)));
            }
            assertEquals(201, store.get("t", "").version());
            assertTrue(store.droppedEvents() >= 150, "most events were dropped and counted: " + store.droppedEvents());
        } finally {
            listener.open();
            store.close();
        }
    }
}
