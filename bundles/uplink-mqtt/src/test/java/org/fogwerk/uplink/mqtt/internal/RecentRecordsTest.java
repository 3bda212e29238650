package org.fogwerk.uplink.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender takes a freshly committed message from memory, and the outbox answers exactly as its
 * store does: a message acknowledged, dropped or pushed out of the ring is found (or not) the same
 * way as before.
 */
class RecentRecordsTest {

    private static final String TOPIC = "fogwerk/node/c/t";

    @TempDir
    Path dir;

    private static byte[] record(int value, int padding) {
        String payload = "{\"value\":" + value + ",\"pad\":\"" + "x".repeat(padding) + "\"}";
        return Outbox.record(TOPIC, payload.getBytes(StandardCharsets.UTF_8), 1);
    }

    private static List<byte[]> appendAndCommit(Outbox outbox, int n, int padding) throws Exception {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] r = record(i, padding);
            records.add(r);
            outbox.append(r);
        }
        outbox.commitFuture().get(5, TimeUnit.SECONDS);
        return records;
    }

    @Test
    void aCommittedMessageIsTakenFromMemoryUntilItIsAcknowledged() throws Exception {
        try (Outbox outbox = new Outbox("c", dir.resolve("c"), Long.MAX_VALUE, 0, false, 5, null, null)) {
            List<byte[]> records = appendAndCommit(outbox, 10, 0);
            long first = outbox.first();
            assertSame(records.get(3), outbox.get(first + 3));
            assertEquals(first, outbox.nextStored(first, outbox.committedUpTo()));

            outbox.delivered(first);
            outbox.delivered(first + 1);
            assertNull(outbox.get(first));
            assertEquals(first + 2, outbox.nextStored(first, outbox.committedUpTo()));
            // nothing at or above the commit mark, though the ring holds those numbers
            assertEquals(-1, outbox.nextStored(first + 2, first + 2));
        }
    }

    @Test
    void largeMessagesAndMessagesPushedOutOfTheRingAreReadFromTheStore() throws Exception {
        try (Outbox outbox = new Outbox("c", dir.resolve("c"), Long.MAX_VALUE, 0, false, 5, null, null)) {
            List<byte[]> large = appendAndCommit(outbox, 3, RecentRecords.MAX_BYTES);
            long first = outbox.first();
            List<byte[]> small = appendAndCommit(outbox, RecentRecords.SLOTS + 5, 0);
            long firstSmall = first + large.size();
            for (int i = 0; i < large.size(); i++) {
                byte[] stored = outbox.get(first + i);
                assertArrayEquals(large.get(i), stored);
            }
            // the first small ones were pushed out of the ring by the last five
            assertArrayEquals(small.get(1), outbox.get(firstSmall + 1));
            assertSame(small.get(small.size() - 1), outbox.get(firstSmall + small.size() - 1));
            outbox.delivered(firstSmall + 1);
            assertNull(outbox.get(firstSmall + 1));
            assertEquals(firstSmall + 2, outbox.nextStored(firstSmall + 1, outbox.committedUpTo()));
        }
    }

    @Test
    void aDroppedMessageIsGoneFromMemoryToo() throws Exception {
        try (Outbox outbox = new Outbox("c", dir.resolve("c"), Long.MAX_VALUE, 5, true, 5, null, null)) {
            List<byte[]> records = appendAndCommit(outbox, 5, 0);
            long first = outbox.first();
            assertSame(records.get(0), outbox.get(first));
            appendAndCommit(outbox, 2, 0);
            assertNull(outbox.get(first));
            assertNull(outbox.get(first + 1));
            assertEquals(first + 2, outbox.nextStored(first, outbox.committedUpTo()));
            assertNotSame(null, outbox.get(first + 2));
        }
    }
}
