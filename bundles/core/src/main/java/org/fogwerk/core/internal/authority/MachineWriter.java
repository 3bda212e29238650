package org.fogwerk.core.internal.authority;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.WriteResult;

/**
 * Writes to a machine with a trace: the request is on record in the audit trail (it survives the
 * node being killed) before it leaves the node, and its outcome is on record before the caller
 * has the result. A write the trail cannot record is not made. Both go through the trail's
 * journal, so the write path does no system call and no hashing for them: the trail chains them
 * in the background.
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
        return onRecord(event(AuditEvent.KIND_WRITE, caller, thing, target, text, "accepted", ""),
                () -> connectors.write(connection, tag, value).toCompletableFuture()
                        .exceptionally(e -> WriteResult.failed(connection, tag, AuditText.message(e))),
                result -> event(AuditEvent.KIND_WRITE, caller, thing, target, text, outcome(result.outcome()),
                        result.reason()),
                error -> WriteResult.refused(connection, tag, "the audit trail cannot record the write: "
                        + AuditText.message(error)));
    }

    /**
     * A write that is not made, on record as denied: the source that ordered the value may no
     * longer write it (a desired state that stands after the write policy changed).
     */
    public CompletionStage<WriteResult> denied(Caller caller, String thing, String connection, String tag, Object value,
            String reason) {
        audit.record(event(AuditEvent.KIND_WRITE, caller, thing, connection + "/" + tag, AuditText.value(value),
                "denied", reason));
        return CompletableFuture.completedFuture(WriteResult.denied(connection, tag, reason));
    }

    /** Audits, calls, audits the outcome. Never fails exceptionally. */
    public CompletionStage<CallResult> call(Caller caller, String thing, String connection, String objectId,
            String methodId, List<Object> arguments) {
        String target = connection + "/" + objectId + "/" + methodId;
        String text = AuditText.value(arguments);
        return onRecord(event(AuditEvent.KIND_CALL, caller, thing, target, text, "accepted", ""),
                () -> connectors.call(connection, objectId, methodId, arguments).toCompletableFuture()
                        .exceptionally(e -> CallResult.failed(connection, methodId, AuditText.message(e))),
                result -> event(AuditEvent.KIND_CALL, caller, thing, target, text, outcome(result.outcome()),
                        result.reason()),
                error -> CallResult.refused(connection, methodId, "the audit trail cannot record the call: "
                        + AuditText.message(error)));
    }

    /**
     * Puts the request on record, then acts; refuses when the trail cannot record it. The journal
     * has it on record at once: then the machine's request starts right away on this thread (a
     * connector's write only hands it to its own executor), without chaining stages.
     */
    private <R> CompletionStage<R> onRecord(AuditEvent request, Supplier<CompletableFuture<R>> act,
            Function<R, AuditEvent> outcome, Function<Throwable, R> refused) {
        CompletableFuture<Void> recorded = audit.journal(request).toCompletableFuture();
        if (recorded.isDone() && !recorded.isCompletedExceptionally()) {
            return recordOutcome(act.get(), outcome);
        }
        return recorded.handle((ok, error) -> error).thenCompose(error -> error != null
                ? CompletableFuture.completedFuture(refused.apply(error))
                : recordOutcome(act.get(), outcome));
    }

    /**
     * Records how a write or call ended before its caller sees the result, so that whoever reads the
     * trail after the result finds the outcome there (a reader has the trail chain what it holds).
     */
    private <R> CompletionStage<R> recordOutcome(CompletableFuture<R> done, Function<R, AuditEvent> outcome) {
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
