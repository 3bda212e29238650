package org.fogwerk.audit.internal;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.support.glob.Glob;

/** Which entries a query asks for: since a time, by thing, source and identity globs, and by kind. */
final class QueryFilter {

    private final AuditQuery query;
    private final Glob thing;
    private final Glob source;
    private final Glob identity;
    private final String kind;

    QueryFilter(AuditQuery query) {
        this.query = query;
        this.thing = Glob.one(query.thing());
        this.source = Glob.one(query.source());
        this.identity = Glob.one(query.identity());
        this.kind = query.kind() == null || query.kind().isBlank() ? null : query.kind();
    }

    boolean accepts(AuditEntry e) {
        AuditEvent ev = e.event();
        return (query.since() == null || !e.time().isBefore(query.since()))
                && thing.matches(ev.thing()) && source.matches(ev.source())
                && identity.matches(ev.identity()) && (kind == null || kind.equals(ev.kind()));
    }
}
