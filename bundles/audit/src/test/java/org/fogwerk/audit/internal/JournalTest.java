package org.fogwerk.audit.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.fogwerk.api.audit.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal keeps what is put in it, in order, across the ring's end and a stop without close. */
class JournalTest {

    private static final int RING = 8192;

    @TempDir
    Path dir;

    private static AuditEvent write(int value) {
        return new AuditEvent(AuditEvent.KIND_WRITE, "mqtt-command", "plant-scada/fogwerk/commands/write", "press01",
                "opcua-press01/speed", String.valueOf(value), "accepted", "Grüße, \"quoted\"\n");
    }

    private static List<String> values(List<Journal.Taken> taken) {
        return taken.stream().map(t -> t.event().value()).toList();
    }

    @Test
    void entriesComeOutInTheOrderTheyWentInAcrossTheEndOfTheRing() throws Exception {
        try (Journal j = Journal.open(dir, RING)) {
            j.recover();
            j.clear();
            List<String> expected = new ArrayList<>();
            Instant t0 = Instant.parse("2026-12-06T10:15:30.123456Z");
            for (int round = 0; round < 20; round++) {
                List<String> put = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    int v = round * 7 + i;
                    assertTrue(j.put(t0.plusNanos(v), write(v)), "entry " + v + " fits");
                    put.add(String.valueOf(v));
                }
                Journal.Batch b = j.take();
                assertEquals(put, values(b.entries()), "round " + round);
                assertEquals(write(round * 7), b.entries().get(0).event(), "every field as it was put");
                assertEquals(t0.plusNanos(round * 7), b.entries().get(0).time());
                j.release(b.upTo());
                assertFalse(j.holdsEntries());
                expected.addAll(put);
            }
            assertEquals(140, expected.size(), "the ring of 8 KiB went round several times");
        }
    }

    @Test
    void aFullRingRefusesAndTakesAgainOnceReleased() throws Exception {
        try (Journal j = Journal.open(dir, RING)) {
            j.recover();
            j.clear();
            int n = 0;
            while (j.put(Instant.now(), write(n))) {
                n++;
            }
            assertTrue(n > 10 && n < 100, "about 8 KiB of entries: " + n);
            Journal.Batch b = j.take();
            assertEquals(n, b.entries().size());
            j.release(b.upTo());
            assertTrue(j.put(Instant.now(), write(n)), "room again");
            assertFalse(j.put(Instant.now(), new AuditEvent(AuditEvent.KIND_CALL, "rest", "olga", "press01", "m",
                    "x".repeat(RING / 4), "accepted", "")), "an entry over a quarter of the ring is not put");
        }
    }

    @Test
    void whatWasPutIsFoundAfterAStopWithoutCloseAndACutEntryIsLeftOut() throws Exception {
        long cutAt;
        try (Journal j = Journal.open(dir, RING)) {
            j.recover();
            j.clear();
            for (int i = 0; i < 5; i++) {
                j.put(Instant.now(), write(i));
            }
            j.release(j.take().upTo()); // 0..4 chained
            for (int i = 5; i < 9; i++) {
                j.put(Instant.now(), write(i));
            }
            cutAt = j.take().upTo();
            for (int i = 9; i < 12; i++) {
                j.put(Instant.now(), write(i));
            }
            // the node stops here: no close, nothing more released
        }
        // the entry with value 9 was being copied when the node was killed: its length is still negative
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(Journal.FILE).toFile(), "rw")) {
            f.seek(Journal.HEAD + cutAt % RING);
            int length = f.readInt();
            f.seek(Journal.HEAD + cutAt % RING);
            f.writeInt(-length);
        }
        try (Journal again = Journal.open(dir, RING)) {
            Journal.Recovered r = again.recover();
            assertNull(r.damage(), "a cut entry is no damage");
            assertEquals(List.of("5", "6", "7", "8", "10", "11"), values(r.entries()));
            again.clear();
            assertEquals(List.of(), again.recover().entries(), "cleared once chained");
        }
    }

    @Test
    void aDamagedEntryEndsWhatIsRecoveredAndIsNamed() throws Exception {
        long second;
        try (Journal j = Journal.open(dir, RING)) {
            j.recover();
            j.clear();
            j.put(Instant.now(), write(1));
            second = j.take().upTo();
            j.put(Instant.now(), write(2));
            j.put(Instant.now(), write(3));
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(Journal.FILE).toFile(), "rw")) {
            f.seek(Journal.HEAD + second + 40); // inside the second entry's strings
            int b = f.read();
            f.seek(Journal.HEAD + second + 40);
            f.write(b ^ 0x5a);
        }
        try (Journal again = Journal.open(dir, RING)) {
            Journal.Recovered r = again.recover();
            assertEquals(List.of("1"), values(r.entries()));
            assertNotNull(r.damage());
            assertTrue(r.damage().contains("checksum"), r.damage());
        }
    }

    @Test
    void aTakeWaitsForAnEntryBeingCopiedBeforeOneAlreadyOnRecord() throws Exception {
        try (Journal j = Journal.open(dir, RING)) {
            j.recover();
            j.clear();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean(true);
            j.beforeCopy = () -> {
                if (first.getAndSet(false)) {
                    held.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            CompletableFuture<Boolean> slow = CompletableFuture.supplyAsync(() -> j.put(Instant.now(), write(1)));
            assertTrue(held.await(5, TimeUnit.SECONDS));
            assertTrue(j.put(Instant.now(), write(2)), "on record while the entry before it is copied");
            CompletableFuture<Journal.Batch> taken = CompletableFuture.supplyAsync(j::take);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !taken.isDone());
            go.countDown();
            assertTrue(slow.get(5, TimeUnit.SECONDS));
            assertEquals(List.of("1", "2"), values(taken.get(5, TimeUnit.SECONDS).entries()),
                    "the entry on record is not left behind the one being copied");
        }
    }

    @Test
    void aKillWhileSpaceIsFreedLosesNoEntryPutAfterTheTakenOnes() throws Exception {
        long upTo;
        try (Journal j = Journal.open(dir, RING)) {
            j.recover();
            j.clear();
            for (int i = 1; i <= 3; i++) {
                j.put(Instant.now(), write(i));
            }
            upTo = j.take().upTo(); // 1..3 chained
            j.put(Instant.now(), write(4));
            j.put(Instant.now(), write(5));
        }
        // release stores the read position first: killed right after it, nothing zeroed yet
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(Journal.FILE).toFile(), "rw")) {
            f.seek(8);
            f.writeLong(upTo);
        }
        try (Journal again = Journal.open(dir, RING)) {
            Journal.Recovered r = again.recover();
            assertNull(r.damage());
            assertEquals(List.of("4", "5"), values(r.entries()));
        }
    }
}
