package org.fogwerk.uplink.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged message is set aside and everything behind it is delivered. */
class QuarantineTest {

    @TempDir
    Path dir;

    @Test
    void damagedMessagesAreSetAsideAndTheOnesBehindThemArrive() throws Exception {
        Path box = dir.resolve("q");
        byte[] unpublishable = Outbox.record("fogwerk/node1/press01/#", "{\"value\":-1}".getBytes(StandardCharsets.UTF_8), 1);
        byte[] cut = {0, 0, 0};
        // a tag named with a line break, stored before tag names were checked: the client would drop
        // the connection at every try to send it
        byte[] lineBreak = Outbox.record("fogwerk/node1/press01/line\nbreak", "{\"value\":-2}".getBytes(StandardCharsets.UTF_8), 1);
        try (Outbox outbox = new Outbox("q", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            for (int i = 0; i < 10; i++) {
                outbox.append(good(i));
            }
            outbox.append(unpublishable); // seq 11
            outbox.append(cut); // seq 12
            outbox.append(lineBreak); // seq 13
            for (int i = 10; i < 2000; i++) {
                outbox.append(good(i));
            }
            outbox.commitFuture().get(5, TimeUnit.SECONDS);
        }
        TestSupport.sendOutbox(dir, "q", box, 2000, (got, uplink) -> {
            for (int i = 0; i < 2000; i++) {
                assertEquals(i, got.get(i).get("value").asLong());
            }
            assertEquals(3, uplink.status().quarantined());
            assertEquals(0, uplink.status().outboxDepth());
        });
        Path folder = box.resolve("quarantine");
        assertArrayEquals(unpublishable, Files.readAllBytes(folder.resolve("11.bin")));
        assertArrayEquals(cut, Files.readAllBytes(folder.resolve("12.bin")));
        String log = Files.readString(folder.resolve("quarantine.log"));
        assertArrayEquals(lineBreak, Files.readAllBytes(folder.resolve("13.bin")));
        assertTrue(log.contains("seq 11: cannot be published") && log.contains("seq 12: ")
                && log.contains("seq 13: cannot be published: the topic holds the control character U+000A at 26"), log);
    }

    private static byte[] good(int value) {
        return Outbox.record("fogwerk/node1/press01/counter", ("{\"value\":" + value + "}")
                .getBytes(StandardCharsets.UTF_8), 1);
    }
}
