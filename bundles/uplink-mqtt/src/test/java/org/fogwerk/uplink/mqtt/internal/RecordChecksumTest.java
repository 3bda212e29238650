package org.fogwerk.uplink.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each outbox record carries a checksum: a byte changed on disk is caught, older outboxes still read. */
class RecordChecksumTest {

    private static final String TOPIC = "fogwerk/node1/press01/counter";

    @TempDir
    Path dir;

    private static byte[] payload(int value) {
        return ("{\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aByteChangedInsideAStoredMessageIsSetAsideAndEverythingElseArrives() throws Exception {
        Path box = dir.resolve("c");
        try (Outbox outbox = new Outbox("c", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            for (int i = 0; i < 2000; i++) {
                outbox.append(Outbox.record(TOPIC, payload(i), 1));
            }
            outbox.commitFuture().get(5, TimeUnit.SECONDS);
        }
        // one digit of message 501 (value 500) changed, as a bad sector or a stray write would
        try (MVStore store = new MVStore.Builder().fileName(box.resolve("outbox.mv").toString()).open()) {
            MVMap<Long, byte[]> messages = store.openMap("messages");
            byte[] r = messages.get(501L).clone();
            r[r.length - 2] = '7';
            messages.put(501L, r);
            store.commit();
        }
        try (Outbox outbox = new Outbox("c", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
            DamagedRecord e = assertThrows(DamagedRecord.class, () -> outbox.get(501));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
            assertEquals(TOPIC, Outbox.topic(outbox.get(500)));
        }
        TestSupport.sendOutbox(dir, "c", box, 1999, (got, uplink) -> {
            assertEquals(1999, got.size());
            for (int i = 0, v = 0; i < 1999; i++, v++) {
                v = v == 500 ? 501 : v;
                assertEquals(v, got.get(i).get("value").asLong(), "message " + i);
            }
            assertEquals(1, uplink.status().quarantined());
            assertEquals(0, uplink.status().outboxDepth());
        });
        String log = Files.readString(box.resolve("quarantine").resolve("quarantine.log"));
        assertTrue(log.contains("seq 501: message 501 does not match its checksum"), log);
        assertTrue(Files.exists(box.resolve("quarantine").resolve("501.bin")), "the damaged bytes are kept");
    }

    /** An outbox of a node before checksums: its records are read as they were written, new ones are checked. */
    @Test
    void anOutboxWrittenWithoutChecksumsIsStillRead() throws Exception {
        Path box = dir.resolve("old");
        Files.createDirectories(box);
        try (MVStore store = new MVStore.Builder().fileName(box.resolve("outbox.mv").toString()).open()) {
            MVMap<Long, byte[]> messages = store.openMap("messages");
            MVMap<String, Long> meta = store.openMap("meta");
            for (long seq = 1; seq <= 100; seq++) {
                messages.put(seq, uncheckedRecord(TOPIC, payload((int) seq), 1000 + seq));
            }
            meta.put("nextSeq", 101L);
            store.commit();
        }
        for (int open = 0; open < 2; open++) {
            try (Outbox outbox = new Outbox("old", box, Long.MAX_VALUE, 0, false, 5, null, null)) {
                for (long seq = 1; seq <= 100; seq++) {
                    byte[] r = outbox.get(seq);
                    assertEquals(TOPIC, Outbox.topic(r));
                    assertEquals(1000 + seq, Outbox.enqueueTime(r));
                    assertArrayEquals(payload((int) seq), Arrays.copyOfRange(r, Outbox.payloadOffset(r), r.length));
                }
                if (open == 0) {
                    assertEquals(101, outbox.nextSeq());
                    outbox.append(Outbox.record(TOPIC, payload(101), 2000));
                    outbox.commitFuture().get(5, TimeUnit.SECONDS);
                }
                byte[] r = outbox.get(101);
                assertArrayEquals(payload(101), Arrays.copyOfRange(r, Outbox.payloadOffset(r), r.length));
            }
        }
    }

    private static byte[] uncheckedRecord(String topic, byte[] payload, long enqueueMillis) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(10 + t.length + payload.length).putLong(enqueueMillis).putShort((short) t.length)
                .put(t).put(payload).array();
    }
}
