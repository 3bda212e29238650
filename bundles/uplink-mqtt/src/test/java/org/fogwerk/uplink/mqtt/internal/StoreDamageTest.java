package org.fogwerk.uplink.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.Damage;
import org.fogwerk.testing.DamageSuite;
import org.fogwerk.testing.ShadowStores;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox and the shadow store damaged at random offsets (cut, bytes flipped, a block zeroed),
 * one seed each ({@link Damage#seeds()}: 3 in the test run, 20 with -Pchaos): the store opens,
 * says what it set aside, hands out every message or shadow it still has unaltered, and takes new
 * data.
 */
class StoreDamageTest extends DamageSuite {

    private static final Logger LOG = LoggerFactory.getLogger(StoreDamageTest.class);
    private static final int MESSAGES = 2000;
    private static final int DELIVERED = 500;
    private static final int THINGS = 300;

    @TestFactory
    Stream<DynamicTest> outbox() {
        return eachSeed("outbox", this::outbox);
    }

    private static byte[] payload(long seq) {
        return ("{\"m\":" + seq + ",\"pad\":\"" + "x".repeat((int) (seq % 50)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private void outbox(long seed, Path box) throws Exception {
        try (Outbox outbox = new Outbox("d", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            for (int c = 0; c < MESSAGES / 100; c++) {
                for (int i = 0; i < 100; i++) {
                    outbox.append(Outbox.record("t/" + seed, payload(outbox.nextSeq()), 1));
                }
                outbox.commitFuture().get(5, TimeUnit.SECONDS);
            }
            for (long seq = 1; seq <= DELIVERED; seq++) {
                outbox.delivered(seq);
            }
        }
        String damage = Damage.apply(box.resolve("outbox.mv"), seed);
        int kept = 0;
        int altered = 0;
        long quarantined;
        try (Outbox outbox = new Outbox("d", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            // as the sender walks it: a message that cannot be read is set aside, the rest go
            for (long seq = outbox.nextStored(0, Long.MAX_VALUE); seq > 0; seq = outbox.nextStored(seq + 1,
                    Long.MAX_VALUE)) {
                byte[] record = null;
                try {
                    record = outbox.get(seq);
                    if (record == null) {
                        continue;
                    }
                    byte[] p = Arrays.copyOfRange(record, Outbox.payloadOffset(record), record.length);
                    if (!Outbox.topic(record).equals("t/" + seed) || !Arrays.equals(payload(seq), p)) {
                        altered++;
                    }
                    kept++;
                } catch (DamagedRecord e) {
                    outbox.quarantine(seq, e.record(), e.getMessage());
                } catch (RuntimeException e) {
                    outbox.quarantine(seq, record, "cannot be read: " + e);
                }
            }
            quarantined = outbox.quarantinedCount();
            assertTrue(outbox.nextSeq() > MESSAGES, damage + ": a sequence number is never used twice");
            long next = outbox.nextSeq();
            outbox.append(Outbox.record("t", payload(next), 1));
            outbox.commitFuture().get(5, TimeUnit.SECONDS);
            assertEquals(next, outbox.nextStored(next, Long.MAX_VALUE), damage + ": takes new messages");
        }
        LOG.info("Outbox seed {}: {}; {} of {} undelivered messages kept, {} quarantined, {} altered, {} set-aside"
                + " files", seed, damage, kept, MESSAGES - DELIVERED, quarantined, altered, asideFiles(box, "outbox.mv"));
        assertEquals(0, altered, damage + ": every record carries a checksum, a changed one is set aside");
        // a store rolled back to an older version may hand out delivered messages again (duplicates)
        assertTrue(kept + quarantined <= MESSAGES, damage);
    }

    @TestFactory
    Stream<DynamicTest> shadowStore() {
        return eachSeed("shadow", this::shadowStore);
    }

    private void shadowStore(long seed, Path folder) throws Exception {
        Path file;
        ShadowStoreImpl store = ShadowStores.open(folder);
        try {
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < THINGS; i++) {
                    store.update("m" + i, "", ShadowUpdate.reported(Map.of("n", round, "i", i, "pad", "p".repeat(60))));
                }
            }
            file = folder.resolve("shadow.mv.db");
        } finally {
            store.close();
        }
        String damage = Damage.apply(file, seed);
        int kept = 0;
        int missing = 0;
        int altered = 0;
        int restored;
        store = ShadowStores.open(folder);
        try {
            for (int i = 0; i < THINGS; i++) {
                try {
                    Object index = store.get("m" + i, "").reported().get("i");
                    if (!(index instanceof Number) || ((Number) index).intValue() != i) {
                        altered++;
                    }
                    kept++;
                } catch (ShadowException e) {
                    assertEquals(404, e.code(), damage + ": " + e.getMessage());
                    missing++;
                }
            }
            restored = store.restoredAtStart();
            store.update("fresh", "", ShadowUpdate.reported(Map.of("ok", true)));
            assertEquals(true, store.get("fresh", "").reported().get("ok"), damage + ": takes new updates");
        } finally {
            store.close();
        }
        LOG.info("Shadow store seed {}: {}; {} of {} shadows kept ({} from the snapshot), {} missing, {} altered, {}"
                + " set-aside files", seed, damage, kept, THINGS, restored, missing, altered,
                asideFiles(folder, "shadow.mv.db"));
        assertEquals(0, altered, damage + ": every stored shadow carries a checksum, a changed one comes from the"
                + " snapshot");
        // every shadow was whole in the snapshot written at close, so none may be lost
        assertEquals(0, missing, damage + ": shadows lost");
    }

    private static long asideFiles(Path folder, String name) throws java.io.IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith(name + ".damaged-")).count();
        }
    }
}
