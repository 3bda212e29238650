package org.fogwerk.audit.internal.shell;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;

@Service
@Command(scope = "fogwerk", name = "audit-list", description = "Lists audit trail entries, oldest first")
public class AuditListCommand extends AuditAction {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|min|h|d)");
    private static final List<String> KINDS = List.of(AuditEvent.KIND_WRITE, AuditEvent.KIND_CALL,
            AuditEvent.KIND_DESIRED, AuditEvent.KIND_REPORTED, AuditEvent.KIND_SHADOW_DELETE, AuditEvent.KIND_CONFIG,
            AuditEvent.KIND_TRUST, AuditEvent.KIND_LOGIN, AuditEvent.KIND_BUNDLE, AuditEvent.KIND_FEATURE,
            AuditEvent.KIND_UPDATE, "audit");
    private static final List<String> SOURCES = List.of("shell", "rest", "route", "mqtt-command", "aws-local",
            "aws-cloud", "sparkplug", "config", "framework", "jaas", "node");

    @Option(name = "--since", description = "Only entries from this time on: an ISO time (2026-12-06T08:00:00Z, "
            + "2026-12-06T08:00 local, 2026-12-06) or an age (90s, 15m, 1h, 2d)")
    String since;

    @Option(name = "--thing", description = "Only entries of these things (a glob: press*)")
    String thing;

    @Option(name = "--source", description = "Only entries from these sources (shell, rest, route, mqtt-command, "
            + "aws-local, aws-cloud, sparkplug, config, framework, jaas, node; a glob)")
    String source;

    @Option(name = "--identity", description = "Only entries of these users or clients (a glob)")
    String identity;

    @Option(name = "--kind", description = "Only entries of this kind (write, call, desired, reported, shadow-delete, "
            + "config, trust, login, bundle, feature, update, audit)")
    String kind;

    @Option(name = "--limit", description = "At most this many, the newest (default 50, 0 for all)")
    int limit = 50;

    Clock clock = Clock.systemDefaultZone();

    @Override
    protected Object answer() {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be 0 (all) or more, not " + limit);
        }
        if (kind != null && !KINDS.contains(kind)) {
            throw new IllegalArgumentException("--kind " + kind + " is not a kind of entry: " + String.join(", ", KINDS));
        }
        if (source != null && !source.contains("*") && !source.contains("?") && !SOURCES.contains(source)) {
            throw new IllegalArgumentException("--source " + source + " is not a source of entries: "
                    + String.join(", ", SOURCES) + " (or a glob)");
        }
        Instant from = since == null ? null : since(since, clock);
        List<AuditEntry> entries = trail.query(new AuditQuery(from, thing, source, identity, kind, limit));
        PrintStream out = out();
        if (entries.isEmpty()) {
            out.println("No audit entries match.");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Time");
        table.column("Seq").alignRight();
        table.column("Kind");
        table.column("Source");
        table.column("Identity");
        table.column("Thing");
        table.column("Target").maxSize(48);
        table.column("Value").maxSize(32);
        table.column("Outcome");
        table.column("Detail").maxSize(72);
        for (AuditEntry e : entries) {
            AuditEvent ev = e.event();
            // the fields can hold what a client sent: no control character reaches the terminal
            table.addRow().addContent(Visible.text(e.time()), e.sequence(), Visible.text(ev.kind()),
                    Visible.text(ev.source()), Visible.text(ev.identity()), Visible.text(ev.thing()),
                    Visible.text(ev.target()), Visible.text(ev.value()), Visible.text(ev.outcome()),
                    Visible.text(ev.detail()));
        }
        table.print(out);
        return null;
    }

    /** An ISO instant, a local date-time or date, or an age back from now. */
    static Instant since(String text, Clock clock) {
        String s = text.trim();
        Matcher m = DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(d);
        }
        ZoneId zone = clock.getZone();
        try {
            if (s.startsWith("P") || s.startsWith("p")) {
                return clock.instant().minus(Duration.parse(s));
            }
            if (s.endsWith("Z") || s.endsWith("z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(s).toInstant();
            }
            if (s.contains("T")) {
                return LocalDateTime.parse(s).atZone(zone).toInstant();
            }
            return LocalDate.parse(s).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since '" + text + "' is neither a time (2026-12-06T08:00:00Z, "
                    + "2026-12-06T08:00, 2026-12-06) nor an age (90s, 15m, 1h, 2d)");
        }
    }
}
