package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class ConfigurationTest {

    @TempDir
    Path dir;

    private static ShadowStoreConfig config(Map<String, Object> properties) {
        return Converters.standardConverter().convert(properties).to(ShadowStoreConfig.class);
    }

    @Test
    void defaultsFollowTheSpec() {
        ShadowStoreImpl.Settings s = ShadowStoreImpl.settings(config(Map.of()), "/opt/fogwerk/data");
        assertEquals(Paths.get("/opt/fogwerk/data", "fogwerk", "shadow"), s.dataDir());
        assertEquals(8192, s.maxStateBytes());
        assertEquals(6, s.maxDepth());
        assertEquals(10_000, s.maxInflight());
        assertEquals(0, s.commitMaxDelayMs());
        assertEquals(Paths.get("data", "fogwerk", "shadow"), ShadowStoreImpl.settings(config(Map.of()), null).dataDir());
    }

    @Test
    void valuesOutsideTheirRangeAreClamped() {
        ShadowStoreImpl.Settings s = ShadowStoreImpl.settings(config(Map.of("max.state.bytes", "100",
                "max.depth", "0", "data.dir", "/var/shadow")), null);
        assertEquals(1024, s.maxStateBytes());
        assertEquals(1, s.maxDepth());
        assertEquals(Paths.get("/var/shadow"), s.dataDir());
        assertEquals(65536, ShadowStoreImpl.settings(config(Map.of("max.state.bytes", "1000000")), null)
                .maxStateBytes());
    }

    @Test
    void theComponentStartsFromItsConfiguration() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("data.dir", dir.toString());
        props.put("max.state.bytes", "2048");
        props.put("max.depth", "2");
        ShadowStoreImpl store = new ShadowStoreImpl(config(props), null);
        try {
            store.update("t", "", ShadowUpdate.reported(Map.of("a", Map.of("b", 1))));
            ShadowException deep = org.junit.jupiter.api.Assertions.assertThrows(ShadowException.class,
                    () -> store.update("t", "", ShadowUpdate.reported(Map.of("a", Map.of("b", Map.of("c", 1))))));
            assertEquals("JSON contains too many levels of nesting; maximum is 2 (at state.reported.a.b.c)", deep.getMessage());
            ShadowException big = org.junit.jupiter.api.Assertions.assertThrows(ShadowException.class,
                    () -> store.update("t", "", ShadowUpdate.reported(Map.of("x", "y".repeat(2100)))));
            assertEquals(413, big.code());
            assertTrue(Files.exists(dir.resolve("shadow.mv.db")));
        } finally {
            store.deactivate();
        }
    }

    @Test
    void aCommitDelayGathersLargerBatches() throws Exception {
        ShadowStoreImpl store = new ShadowStoreImpl(new ShadowStoreImpl.Settings(dir, 8192, 6, 10_000, 5, 1000));
        try {
            List<Callable<Void>> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                callers.add(Stores.counting(store, "d" + t, 0, 49));
            }
            Stores.runAll(callers, 30);
            assertEquals(50, store.get("d3", "").version());
            org.slf4j.LoggerFactory.getLogger(ConfigurationTest.class).info("commit delay 5 ms: 200 updates from 4 callers"
                    + " in {} commits", store.commitCount());
            assertTrue(store.commitCount() <= 75, "200 updates from 4 callers in " + store.commitCount() + " commits");
        } finally {
            store.close();
        }
    }

    @Test
    void aStoppedStoreRefusesRequests() throws Exception {
        ShadowStoreImpl store = Stores.open(dir);
        store.update("t", "", ShadowUpdate.reported(Map.of("a", 1)));
        store.close();
        ShadowException e = org.junit.jupiter.api.Assertions.assertThrows(ShadowException.class,
                () -> store.update("t", "", ShadowUpdate.reported(Map.of("a", 2))));
        assertEquals(500, e.code());
    }
}
