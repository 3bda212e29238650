package org.fogwerk.audit.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;
import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.audit.AuditVerification;
import org.fogwerk.testing.ShellConsole;
import org.fogwerk.testing.Users;
import org.junit.jupiter.api.Test;

class AuditCommandsTest {

    private final ShellConsole console = new ShellConsole();

    /** Runs the command in the console as an administrator, as the shell would, and returns what it printed. */
    private String asAdmin(Action command) throws Exception {
        return Users.as("anna", List.of("admin"), () -> console.run(command));
    }

    /** What a failing command printed before it failed, and how it failed. */
    private record Failure(String printed, CommandException exception) {
    }

    /** Runs a command that must fail in the console as an administrator. */
    private Failure failsAsAdmin(Action command) throws Exception {
        CommandException[] thrown = new CommandException[1];
        String printed = Users.as("anna", List.of("admin"), () -> console.print(() -> {
            thrown[0] = assertThrows(CommandException.class, command::execute);
            return null;
        }));
        return new Failure(printed, thrown[0]);
    }

    /** The control characters in the text, but the ends of its lines. */
    private static List<String> controlCharacters(String text) {
        List<String> found = new ArrayList<>();
        text.replace("\r\n", "\n").chars().filter(c -> c != '\n')
                .filter(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029)
                .forEach(c -> found.add(String.format("U+%04X", c)));
        return found;
    }

    /** Answers with fixed entries and keeps the query it was asked. */
    private static final class FixedTrail implements AuditTrail {
        final List<AuditQuery> asked = new ArrayList<>();
        List<AuditEntry> entries = List.of();
        AuditVerification verification;
        long unwritten;

        @Override
        public long unwritten() {
            return unwritten;
        }

        @Override
        public CompletionStage<AuditEntry> append(AuditEvent event) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public List<AuditEntry> query(AuditQuery query) {
            asked.add(query);
            return entries;
        }

        @Override
        public AuditVerification verify() {
            return verification;
        }
    }

    @Test
    void listShowsEveryColumnAndPassesTheFilters() throws Exception {
        FixedTrail trail = new FixedTrail();
        trail.entries = List.of(new AuditEntry(42, Instant.parse("2026-12-06T08:15:00Z"),
                new AuditEvent("write", "mqtt-command", "client-7", "press01", "opcua-press01/speed", "1200",
                        "refused", "no write permission"), "a".repeat(64), "b".repeat(64)));
        AuditListCommand list = new AuditListCommand();
        list.trail = trail;
        list.clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
        list.since = "1h";
        list.thing = "press*";
        list.source = "mqtt-*";
        list.identity = "client-?";
        list.kind = "write";
        list.limit = 5;
        String text = asAdmin(list);
        for (String s : List.of("Time", "Seq", "Kind", "Source", "Identity", "Thing", "Target", "Value", "Outcome",
                "Detail", "2026-12-06T08:15:00Z", "42", "mqtt-command", "client-7", "press01",
                "opcua-press01/speed", "1200", "refused", "no write permission")) {
            assertTrue(text.contains(s), s + " in\n" + text);
        }
        assertEquals(new AuditQuery(Instant.parse("2026-12-06T09:00:00Z"), "press*", "mqtt-*", "client-?", "write", 5),
                trail.asked.get(0));

        trail.entries = List.of();
        assertEquals("No audit entries match.", asAdmin(list).trim());

        // a slip in a kind or source is said, not answered with an empty list
        list.kind = "wirte";
        Exception kind = assertThrows(Exception.class, () -> asAdmin(list));
        assertTrue(kind.getMessage().startsWith("--kind wirte is not a kind of entry: write, call,"), kind.getMessage());
        list.kind = null;
        list.source = "mqtt";
        Exception source = assertThrows(Exception.class, () -> asAdmin(list));
        assertTrue(source.getMessage().startsWith("--source mqtt is not a source of entries: shell, rest,"),
                source.getMessage());
    }

    @Test
    void sinceTakesTimesAndAges() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneId.of("Europe/Berlin"));
        assertEquals(Instant.parse("2026-12-06T09:59:30Z"), AuditListCommand.since("30s", clock));
        assertEquals(Instant.parse("2026-12-06T09:45:00Z"), AuditListCommand.since("15m", clock));
        assertEquals(Instant.parse("2026-12-04T10:00:00Z"), AuditListCommand.since("2d", clock));
        assertEquals(Instant.parse("2026-12-06T08:30:00Z"), AuditListCommand.since("PT1H30M", clock));
        assertEquals(Instant.parse("2026-12-06T08:00:00Z"), AuditListCommand.since("2026-12-06T08:00:00Z", clock));
        assertEquals(Instant.parse("2026-12-06T07:00:00Z"), AuditListCommand.since("2026-12-06T08:00", clock),
                "a local time is the node's time zone");
        assertEquals(Instant.parse("2026-12-05T23:00:00Z"), AuditListCommand.since("2026-12-06", clock));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuditListCommand.since("yesterday", clock));
        assertEquals("--since 'yesterday' is neither a time (2026-12-06T08:00:00Z, 2026-12-06T08:00, 2026-12-06) "
                + "nor an age (90s, 15m, 1h, 2d)", e.getMessage());
    }

    @Test
    void aNegativeLimitIsRefused() {
        AuditListCommand list = new AuditListCommand();
        list.trail = new FixedTrail();
        list.limit = -1;
        assertEquals("--limit must be 0 (all) or more, not -1",
                assertThrows(CommandException.class, () -> asAdmin(list)).getMessage());
    }

    @Test
    void verifyPrintsIntactOrTheFirstBreakAndEveryProblem() throws Exception {
        FixedTrail trail = new FixedTrail();
        AuditVerifyCommand verify = new AuditVerifyCommand();
        verify.trail = trail;
        trail.verification = new AuditVerification(1234, true, 0, List.of());
        assertEquals("intact: 1234 entries", asAdmin(verify).trim());

        trail.unwritten = 2;
        assertEquals("NOT RECORDED: 2 write outcomes could not be written to the trail since it was opened (the log"
                + " names them)\nintact: 1234 entries", asAdmin(verify).trim().replace("\r\n", "\n"));
        trail.unwritten = 0;

        trail.entries = List.of(new AuditEntry(1234, Instant.parse("2026-12-06T08:15:00Z"),
                new AuditEvent("write", "shell", "olga", "press01", "opcua-press01/speed", "1200", "done", ""),
                "a".repeat(64), "c".repeat(64)));
        assertEquals("intact: 1234 entries\nnewest: sequence 1234, hash " + "c".repeat(64),
                asAdmin(verify).trim().replace("\r\n", "\n"));
        assertEquals(1, trail.asked.get(trail.asked.size() - 1).limit(), "only the newest entry is read");
    }

    @Test
    void verifyOfABrokenTrailPrintsEveryProblemAndThenFails() throws Exception {
        FixedTrail trail = new FixedTrail();
        AuditVerifyCommand verify = new AuditVerifyCommand();
        verify.trail = trail;
        trail.verification = new AuditVerification(10, false, 5, List.of(
                "audit-000001.log line 5, sequence 5: its hash does not match its content (the entry was edited)",
                "audit-000001.log line 9, sequence 9: sequence 8 is missing"));
        Failure broken = failsAsAdmin(verify);
        assertEquals(String.join("\n",
                "BROKEN at sequence 5: audit-000001.log line 5, sequence 5: its hash does not match its content "
                        + "(the entry was edited)",
                "2 problems in 10 entries:",
                "  audit-000001.log line 5, sequence 5: its hash does not match its content (the entry was edited)",
                "  audit-000001.log line 9, sequence 9: sequence 8 is missing"),
                broken.printed().trim().replace("\r", ""));
        // the shell ends with an error status: bin/client -b and scripts see it
        assertEquals("the audit trail is BROKEN at sequence 5 (2 problems in 10 entries)",
                broken.exception().getMessage());
        assertTrue(broken.exception().getNiceHelp().contains("Error executing command fogwerk:audit-verify: the audit"
                + " trail is BROKEN at sequence 5"), broken.exception().getNiceHelp());

        trail.unwritten = 1;
        trail.verification = new AuditVerification(3, false, 4, List.of(
                "audit-000002.log line 1 (sequence 4 expected): not valid JSON (Unexpected character ('\033'))"));
        broken = failsAsAdmin(verify);
        assertEquals(String.join("\n",
                "NOT RECORDED: 1 write outcome could not be written to the trail since it was opened (the log names"
                        + " them)",
                "BROKEN at sequence 4: audit-000002.log line 1 (sequence 4 expected): not valid JSON (Unexpected"
                        + " character ('\\u001B'))",
                "1 problem in 3 entries:",
                "  audit-000002.log line 1 (sequence 4 expected): not valid JSON (Unexpected character ('\\u001B'))"),
                broken.printed().trim().replace("\r", ""));
        assertEquals("the audit trail is BROKEN at sequence 4 (1 problem in 3 entries)",
                broken.exception().getMessage());
    }

    @Test
    void listShowsTheControlCharactersOfAnEntryEscapedAndOtherTextAsItIs() throws Exception {
        FixedTrail trail = new FixedTrail();
        // the user name of a failed login is whatever the client sent
        String forged = "\033[2J\033[31mroot\r\n2026-12-06T08:15:00Z | 43 | login | jaas | admin | ok"
                + "\u009b\u2028\u2029\u007f\0";
        trail.entries = List.of(new AuditEntry(42, Instant.parse("2026-12-06T08:15:00Z"),
                new AuditEvent("login", "rest", forged, "Presse-Müller", "", "", "failed",
                        "Jürgen von 東京\tsaid \\u001B"), "a".repeat(64), "b".repeat(64)));
        AuditListCommand list = new AuditListCommand();
        list.trail = trail;
        String text = asAdmin(list);
        assertEquals(List.of(), controlCharacters(text), text);
        assertEquals(3, text.trim().split("\n").length, "a header, its line and one entry:\n" + text);
        assertTrue(text.contains("\\u001B[2J\\u001B[31mroot\\r\\n2026-12-06T08:15:00Z | 43 | login | jaas | admin | ok"
                + "\\u009B\\u2028\\u2029\\u007F\\u0000"), text);
        assertTrue(text.contains("Presse-Müller"), text);
        assertTrue(text.contains("Jürgen von 東京\\tsaid \\u001B"), "text that only looks like an escape stays: " + text);

        assertEquals("Jürgen", Visible.text("Jürgen"));
        assertEquals("a\\tb\\nc\\rd\\u001Be\\u0085f\\u2028", Visible.text("a\tb\nc\rd\033e\u0085f\u2028"));
    }

    @Test
    void anOperatorIsToldTheTrailIsForAdministrators() {
        AuditListCommand list = new AuditListCommand();
        list.trail = new FixedTrail();
        CommandException e = assertThrows(CommandException.class,
                () -> Users.as("olga", List.of("operator", "viewer"), () -> console.run(list)));
        assertEquals("this needs the role admin; user 'olga' has the roles operator, viewer", e.getMessage());
        AuditVerifyCommand verify = new AuditVerifyCommand();
        verify.trail = new FixedTrail();
        assertThrows(CommandException.class, () -> console.run(verify), "no user at all");
    }
}
