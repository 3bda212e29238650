package org.fogwerk.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.fogwerk.api.audit.AuditEvent;
import org.junit.jupiter.api.Test;

class EntryLinesTest {

    @Test
    void timesAreWrittenAsInstantWritesThem() {
        for (Instant t : List.of(Instant.parse("2026-12-06T08:15:02Z"), Instant.parse("2026-12-06T08:15:02.1Z"),
                Instant.parse("2026-12-06T08:15:02.118Z"), Instant.parse("2026-12-06T08:15:02.118204Z"),
                Instant.parse("2026-12-06T08:15:02.000204Z"), Instant.parse("2026-12-06T08:15:02.000000007Z"),
                Instant.parse("2026-12-06T08:15:02.118204365Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.EPOCH, Instant.now())) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            EntryLines.writeTime(b, t);
            assertEquals(t.toString(), b.toString(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aLineReadsBackWithEveryFieldAndItsHashMatches() {
        AuditEvent event = new AuditEvent("write", "mqtt-command", "client \"7\"\n", "press01", "opcua/ns=2;s=Ä\\x",
                "1200", "refused", "tab\there, \u0001 and \uD83D\uDE00");
        Instant time = Instant.parse("2026-12-06T08:15:02.118204Z");
        EntryLines.Encoded enc = new EntryLines.Encoder().encode(7, time, event, EntryLines.ZERO_HASH);
        byte[] line = enc.line();
        assertEquals('\n', line[line.length - 1]);
        String text = new String(line, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"sequence\":7,\"time\":\"2026-12-06T08:15:02.118204Z\",\"kind\":\"write\""), text);
        EntryLines.Decoded d = EntryLines.decode(line, 0, line.length - 1, EntryLines.sha256());
        assertTrue(d.readable(), d.error());
        assertTrue(d.hashMatches());
        assertEquals(event, d.entry().event());
        assertEquals(time, d.entry().time());
        assertEquals(7, d.entry().sequence());
        assertEquals(enc.entry().hash(), d.entry().hash());
    }
}
