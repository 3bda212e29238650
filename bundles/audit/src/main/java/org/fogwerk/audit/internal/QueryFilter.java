package org.fogwerk.audit.internal;

import java.util.regex.Pattern;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;

/** Which entries a query asks for: since a time, by thing, source and identity globs, and by kind. */
final class QueryFilter {

    private final AuditQuery query;
    private final Pattern thing;
    private final Pattern source;
    private final Pattern identity;
    private final String kind;

    QueryFilter(AuditQuery query) {
        this.query = query;
        this.thing = glob(query.thing());
        this.source = glob(query.source());
        this.identity = glob(query.identity());
        this.kind = query.kind() == null || query.kind().isBlank() ? null : query.kind();
    }

    boolean accepts(AuditEntry e) {
        AuditEvent ev = e.event();
        return (query.since() == null || !e.time().isBefore(query.since()))
                && matches(thing, ev.thing()) && matches(source, ev.source())
                && matches(identity, ev.identity()) && (kind == null || kind.equals(ev.kind()));
    }

    /** {@code *} any text, {@code ?} one character, everything else as it is; {@code null} matches all. */
    static Pattern glob(String glob) {
        if (glob == null || glob.isBlank()) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static boolean matches(Pattern glob, String value) {
        return glob == null || glob.matcher(value).matches();
    }
}
