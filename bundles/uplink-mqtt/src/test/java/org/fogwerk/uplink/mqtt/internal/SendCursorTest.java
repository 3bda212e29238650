package org.fogwerk.uplink.mqtt.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.fogwerk.testing.Gate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendCursorTest {

    @TempDir
    Path dir;

    private static byte[] record(String text) {
        return Outbox.record("t/" + text, text.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
    }

    /**
     * The sender looks for the next message while a batch is already in the map but not yet
     * visible, and the commit completes before the cursor moves: the batch must still be sent.
     */
    @Test
    void aBatchCommittedBetweenTheLookupAndTheCursorMoveIsNotSkipped() throws Exception {
        try (Outbox outbox = new Outbox("race", dir, Long.MAX_VALUE, 0, false, 5, null, null)) {
            outbox.append(record("a"));
            outbox.commitFuture().get(5, TimeUnit.SECONDS);

            Gate stored = Gate.closed(5);
            outbox.beforeVisible(stored);
            AtomicReference<CompletableFuture<Void>> commit = new AtomicReference<>();
            AtomicBoolean once = new AtomicBoolean();
            SendCursor cursor = new SendCursor(outbox, 1, Long.MAX_VALUE, () -> {
                if (commit.get() != null && once.compareAndSet(false, true)) {
                    // the commit lands right between the lookup and the cursor move
                    stored.open();
                    commit.get().join();
                }
            });
            assertEquals(1, cursor.next());
            cursor.sent(1);

            outbox.append(record("b"));
            outbox.append(record("c"));
            commit.set(outbox.commitFuture());
            assertTrue(stored.reached(5), "the writer stored the batch");
            assertEquals(-1, cursor.next(), "not visible yet");
            assertTrue(once.get(), "the commit landed between lookup and move");
            assertEquals(4, outbox.committedUpTo(), "b and c are committed");

            assertEquals(2, cursor.next(), "the batch is still ahead of the cursor");
            cursor.sent(2);
            assertEquals(3, cursor.next());
            cursor.sent(3);
            assertEquals(-1, cursor.next());
        }
    }

    @Test
    void theReplayCursorStopsAtItsEndAndSkipsAcknowledgedMessages() throws Exception {
        try (Outbox outbox = new Outbox("range", dir, Long.MAX_VALUE, 0, false, 5, null, null)) {
            for (int i = 0; i < 5; i++) {
                outbox.append(record("m" + i));
            }
            outbox.commitFuture().get(5, TimeUnit.SECONDS);
            outbox.delivered(2);
            SendCursor replay = new SendCursor(outbox, 1, 4);
            assertEquals(1, replay.next());
            replay.sent(1);
            assertEquals(3, replay.next(), "2 was acknowledged already");
            replay.sent(3);
            assertEquals(-1, replay.next(), "4 and 5 belong to the live cursor");
            assertTrue(replay.done());
        }
    }
}
