package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An update acknowledged to its caller survives kill -9. */
class CrashTest {

    private static final int THREADS = 4;
    private static final int ACKS_BEFORE_KILL = 2000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedUpdateSurvivesSigkill() throws Exception {
        Map<String, Long> acked = new HashMap<>();
        int lines;
        try (ChildJvm child = ChildJvm.start(null, CrashWriter.class, dir.toString(), String.valueOf(THREADS))) {
            lines = child.readWords(n -> n < ACKS_BEFORE_KILL, 3, words -> {
                assertEquals(words[1], words[2], "version and value go together: " + String.join(" ", words));
                acked.merge(words[0], Long.parseLong(words[1]), Math::max);
            });
            assertTrue(child.kill());
        }
        assertEquals(ACKS_BEFORE_KILL, lines, "the child acknowledged updates before it was killed");

        Stores.inStore(dir, store -> {
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                ShadowDocument d = store.get(e.getKey(), "");
                assertTrue(d.version() >= e.getValue(), e.getKey() + ": acknowledged version " + e.getValue()
                        + ", found " + d.version());
                assertEquals(d.version(), d.reported().get("n"), "the document matches its version");
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(0, files.filter(p -> p.getFileName().toString().contains("damaged")).count(),
                        "a kill is not damage: no alarm, nothing moved aside");
            }
            // and the store goes on
            store.update("crash0", "", org.fogwerk.api.shadow.ShadowUpdate.reported(Map.of("after", true)));
        });
    }
}
