package org.fogwerk.web.internal;

import java.util.List;
import java.util.Optional;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.WriteGateway;

/**
 * A request of the API that writes to a machine or a shadow, named as the write gateway's audit
 * trail names it: a tag write, a shadow update or a shadow delete. When such a request is refused
 * before it reaches the gateway (its role, its CSRF token, a body that cannot be read), the
 * gateway still records and counts the refusal, so every refused write leaves a trace.
 *
 * @param kind   the audit kind: write, desired (a shadow update) or shadow-delete
 * @param thing  the connection of a tag write, the thing of a shadow request
 * @param target the tag, or the shadow ({@code ""} for the classic one)
 */
record WriteRequest(String kind, String thing, String target) {

    /** The write a request asks for, by its method and the path below {@code /api/v1}; empty for any other. */
    static Optional<WriteRequest> of(String method, List<String> p) {
        int n = p.size();
        if ("POST".equals(method) && n == 5 && p.get(0).equals("connectors") && p.get(2).equals("tags")
                && p.get(4).equals("write")) {
            return Optional.of(new WriteRequest(AuditEvent.KIND_WRITE, p.get(1), p.get(3)));
        }
        boolean shadow = n >= 3 && p.get(0).equals("things")
                && (n == 3 && p.get(2).equals("shadow") || n == 4 && p.get(2).equals("shadows"));
        if (shadow && ("POST".equals(method) || "DELETE".equals(method))) {
            return Optional.of(new WriteRequest("POST".equals(method) ? AuditEvent.KIND_DESIRED
                    : AuditEvent.KIND_SHADOW_DELETE, p.get(1), n == 4 ? p.get(3) : ""));
        }
        return Optional.empty();
    }

    /** Tells the gateway, where there is one, that this request was refused with {@code e}. */
    void refused(WriteGateway gateway, Caller caller, ApiException e) {
        if (gateway != null) {
            gateway.refused(caller, kind, thing, target, e.status(), e.getMessage());
        }
    }
}
