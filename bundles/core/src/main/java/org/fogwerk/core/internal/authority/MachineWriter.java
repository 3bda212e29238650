package org.fogwerk.core.internal.authority;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.WriteResult;

/**
 * Writes to a machine with a trace: the request is on disk in the audit trail before it leaves
 * the node, and its outcome follows. A write the trail cannot record is not made.
 */
public final class MachineWriter {

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
                    CompletableFuture<WriteResult> done = connectors.write(connection, tag, value)
                            .toCompletableFuture()
                            .exceptionally(e -> WriteResult.failed(connection, tag, AuditText.message(e)));
                    return recordOutcome(done, result -> event(AuditEvent.KIND_WRITE, caller, thing, target, text,
                            outcome(result.outcome()), result.reason()));
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
                    CompletableFuture<CallResult> done = connectors.call(connection, objectId, methodId, arguments)
                            .toCompletableFuture()
                            .exceptionally(e -> CallResult.failed(connection, methodId, AuditText.message(e)));
                    return recordOutcome(done, result -> event(AuditEvent.KIND_CALL, caller, thing, target, text,
                            outcome(result.outcome()), result.reason()));
                });
    }

    /**
     * Records how a write or call ended before its caller sees the result, so that whoever reads the
     * trail after the result finds the outcome there; recording only queues the entry. The thread
     * that completed the machine's request then writes it to the file, after the caller has its
     * result (dependents of a stage run last-registered first), so the caller's next request does
     * not wait for it.
     */
    private <R> CompletionStage<R> recordOutcome(CompletableFuture<R> done, Function<R, AuditEvent> outcome) {
        done.thenRun(audit::flush);
        return done.thenApply(result -> {
            audit.record(outcome.apply(result));
            return result;
        });
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
