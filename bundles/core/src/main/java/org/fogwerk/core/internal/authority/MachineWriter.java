package org.fogwerk.core.internal.authority;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to a machine with a trace: the request is on disk in the audit trail before it leaves
 * the node, and its outcome follows. A write the trail cannot record is not made.
 */
public final class MachineWriter {

    private static final Logger LOG = LoggerFactory.getLogger(MachineWriter.class);

    private final ConnectorRegistry connectors;
    private final AuditTrail audit;

    public MachineWriter(ConnectorRegistry connectors, AuditTrail audit) {
        this.connectors = connectors;
        this.audit = audit;
    }

    /** Audits, writes the already checked value, audits the outcome. Never fails exceptionally. */
    public CompletionStage<WriteResult> write(Caller caller, String thing, String connection, String tag, Object value) {
        String target = connection + "/" + tag;
        String text = AuditText.value(value);
        // the append returns once the request is written to the trail, on this thread: the write
        // starts right after it, and a connector's write only hands the request to its own executor
        return audit.append(event(AuditEvent.KIND_WRITE, caller, thing, target, text, "accepted", ""))
                .handle((entry, error) -> error)
                .thenCompose(error -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(WriteResult.refused(connection, tag,
                                "the audit trail cannot record the write: " + AuditText.message(error)));
                    }
                    return connectors.write(connection, tag, value)
                            .exceptionally(e -> WriteResult.failed(connection, tag, AuditText.message(e)))
                            .thenApply(result -> {
                                outcome(event(AuditEvent.KIND_WRITE, caller, thing, target, text,
                                        outcome(result.outcome()), result.reason()));
                                return result;
                            });
                });
    }

    /** Audits, calls, audits the outcome. Never fails exceptionally. */
    public CompletionStage<CallResult> call(Caller caller, String thing, String connection, String objectId,
            String methodId, List<Object> arguments) {
        String target = connection + "/" + objectId + "/" + methodId;
        String text = AuditText.value(arguments);
        return audit.append(event(AuditEvent.KIND_CALL, caller, thing, target, text, "accepted", ""))
                .handle((entry, error) -> error)
                .thenCompose(error -> {
                    if (error != null) {
                        return CompletableFuture.completedFuture(CallResult.refused(connection, methodId,
                                "the audit trail cannot record the call: " + AuditText.message(error)));
                    }
                    return connectors.call(connection, objectId, methodId, arguments)
                            .exceptionally(e -> CallResult.failed(connection, methodId, AuditText.message(e)))
                            .thenApply(result -> {
                                outcome(event(AuditEvent.KIND_CALL, caller, thing, target, text,
                                        outcome(result.outcome()), result.reason()));
                                return result;
                            });
                });
    }

    /**
     * Records how a write ended without making the caller wait: the request itself is already on
     * record, and the outcome is written with the next entries of the trail.
     */
    private void outcome(AuditEvent event) {
        audit.record(event);
    }

    static String outcome(WriteResult.Outcome o) {
        switch (o) {
            case DONE:
                return "done";
            case REFUSED:
                return "refused";
            case DENIED:
                return "denied";
            default:
                return "failed";
        }
    }

    static AuditEvent event(String kind, Caller caller, String thing, String target, String value, String outcome,
            String detail) {
        return new AuditEvent(kind, caller.source().id(), caller.identity(), thing, target, value, outcome, detail);
    }
}
