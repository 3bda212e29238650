package org.fogwerk.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;

/**
 * One entry per line of compact JSON, fields in a fixed order, the hash last. The hash is the
 * SHA-256 of the line's own bytes up to its hash field, closed with <code>}</code>: anyone can
 * recompute it by cutting <code>,"hash":"..."</code> off a line, without re-encoding the JSON.
 */
final class EntryLines {

    static final String ZERO_HASH = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();
    /** {@code ,"hash":"} + 64 hex digits + {@code "}}. */
    private static final int HASH_SUFFIX = 9 + 64 + 2;
    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private EntryLines() {
    }

    /** Field names of the body, in their order, each with its opening quote and what comes before it. */
    private static final byte[][] BODY_FIELDS = ascii("\"time\":\"", ",\"kind\":\"", ",\"source\":\"",
            ",\"identity\":\"", ",\"thing\":\"", ",\"target\":\"", ",\"value\":\"", ",\"outcome\":\"",
            ",\"detail\":\"");
    private static final byte[] SEQUENCE_FIELD = ascii("{\"sequence\":")[0];
    private static final byte[] PREVIOUS_FIELD = ascii(",\"previousHash\":\"")[0];
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private static byte[][] ascii(String... parts) {
        byte[][] b = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            b[i] = parts[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }

    /**
     * What an entry says apart from its place in the chain: the fields from {@code time} to
     * {@code detail}, without braces. It needs no lock: any thread encodes its own entry's body
     * before it queues it, and only {@link Encoder#finish} runs under the trail's lock.
     */
    static byte[] body(Instant time, AuditEvent e) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(320);
        b.writeBytes(BODY_FIELDS[0]);
        writeTime(b, time);
        b.write('"');
        String[] values = {e.kind(), e.source(), e.identity(), e.thing(), e.target(), e.value(), e.outcome(),
            e.detail()};
        for (int i = 0; i < values.length; i++) {
            b.writeBytes(BODY_FIELDS[i + 1]);
            b.writeBytes(QUOTE.quoteAsUTF8(values[i]));
            b.write('"');
        }
        return b.toByteArray();
    }

    /** The date and time of one second, as {@link Instant#toString()} writes it, without its {@code Z}. */
    private record SecondText(long epochSecond, byte[] text) {
    }

    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, new byte[0]);

    /**
     * Writes the time as {@link Instant#toString()} does (the same text, byte for byte), formatting
     * the date and time of day once a second only.
     */
    static void writeTime(ByteArrayOutputStream b, Instant t) {
        SecondText s = lastSecond;
        if (s.epochSecond() != t.getEpochSecond()) {
            String whole = Instant.ofEpochSecond(t.getEpochSecond()).toString();
            s = new SecondText(t.getEpochSecond(),
                    whole.substring(0, whole.length() - 1).getBytes(StandardCharsets.US_ASCII));
            lastSecond = s;
        }
        b.writeBytes(s.text());
        int nanos = t.getNano();
        if (nanos > 0) {
            b.write('.');
            int digits;
            int value;
            if (nanos % 1_000_000 == 0) {
                digits = 3;
                value = nanos / 1_000_000;
            } else if (nanos % 1_000 == 0) {
                digits = 6;
                value = nanos / 1_000;
            } else {
                digits = 9;
                value = nanos;
            }
            for (int div = pow10(digits - 1); div > 0; div /= 10) {
                b.write('0' + value / div % 10);
            }
        }
        b.write('Z');
    }

    private static int pow10(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    /** Chains entries on one thread (the holder of the trail's lock), reusing its buffer and digest. */
    static final class Encoder {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        private final MessageDigest sha256 = sha256();

        /** The entry's line, newline included, and its hash. */
        Encoded encode(long sequence, Instant time, AuditEvent e, String previousHash) {
            return finish(sequence, time, e, body(time, e), previousHash);
        }

        /** Numbers and chains an entry whose {@link #body} is encoded already. */
        Encoded finish(long sequence, Instant time, AuditEvent e, byte[] body, String previousHash) {
            buffer.reset();
            buffer.writeBytes(SEQUENCE_FIELD);
            buffer.writeBytes(Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
            buffer.write(',');
            buffer.writeBytes(body);
            buffer.writeBytes(PREVIOUS_FIELD);
            buffer.writeBytes(previousHash.getBytes(StandardCharsets.US_ASCII));
            buffer.write('"');
            buffer.write('}');
            byte[] content = buffer.toByteArray();
            String hash = HEX.formatHex(sha256.digest(content));
            byte[] line = new byte[content.length - 1 + HASH_SUFFIX + 1];
            System.arraycopy(content, 0, line, 0, content.length - 1);
            int p = content.length - 1;
            System.arraycopy(HASH_FIELD, 0, line, p, HASH_FIELD.length);
            p += HASH_FIELD.length;
            byte[] hex = hash.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(hex, 0, line, p, hex.length);
            p += hex.length;
            line[p++] = '"';
            line[p++] = '}';
            line[p] = '\n';
            return new Encoded(new AuditEntry(sequence, time, e, previousHash, hash), line);
        }
    }

    record Encoded(AuditEntry entry, byte[] line) {
    }

    /**
     * A line read back: the entry when it could be read, whether its hash matches its content, or why
     * it could not be read.
     */
    record Decoded(AuditEntry entry, boolean hashMatches, String error) {

        boolean readable() {
            return entry != null;
        }
    }

    /** Reads the line {@code bytes[from, to)} (without its newline). */
    static Decoded decode(byte[] bytes, int from, int to, MessageDigest sha256) {
        int length = to - from;
        if (length <= HASH_SUFFIX + 2) {
            return new Decoded(null, false, length == 0 ? "empty line" : "not a complete entry (too short)");
        }
        int suffix = to - HASH_SUFFIX;
        for (int i = 0; i < HASH_FIELD.length; i++) {
            if (bytes[suffix + i] != HASH_FIELD[i]) {
                return new Decoded(null, false, "no hash at the end of the line (incomplete or edited entry)");
            }
        }
        if (bytes[to - 2] != '"' || bytes[to - 1] != '}') {
            return new Decoded(null, false, "no hash at the end of the line (incomplete or edited entry)");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes, from, length);
        } catch (IOException e) {
            return new Decoded(null, false, "not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
        AuditEntry entry;
        try {
            entry = entry(node);
        } catch (IllegalArgumentException e) {
            return new Decoded(null, false, e.getMessage());
        }
        sha256.reset();
        sha256.update(bytes, from, suffix - from);
        sha256.update((byte) '}');
        String actual = HEX.formatHex(sha256.digest());
        return new Decoded(entry, actual.equals(entry.hash()), null);
    }

    private static AuditEntry entry(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode seq = node.get("sequence");
        if (seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber()) {
            throw new IllegalArgumentException("field 'sequence' missing or not a whole number");
        }
        Instant time;
        try {
            time = Instant.parse(text(node, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field 'time' is not an ISO-8601 instant");
        }
        AuditEvent event = new AuditEvent(text(node, "kind"), text(node, "source"), text(node, "identity"),
                text(node, "thing"), text(node, "target"), text(node, "value"), text(node, "outcome"),
                text(node, "detail"));
        return new AuditEntry(seq.asLong(), time, event, text(node, "previousHash"), text(node, "hash"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' missing or not text");
        }
        return v.asText();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
