package org.fogwerk.api.connector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What became of a method call on a machine (an OPC UA method, for example).
 *
 * @param connectionId the connection called
 * @param method       the method called, as the caller named it
 * @param outcome      done, refused before it reached the machine, or failed on the way or on
 *                     the machine
 * @param reason       why it was refused or failed; empty when done
 * @param outputs      the method's output arguments as Java values (Boolean, Long, Double,
 *                     String, byte[] or arrays of those; the connector's own mapping for
 *                     other types); empty unless done
 */
public record CallResult(String connectionId, String method, WriteResult.Outcome outcome, String reason,
        List<Object> outputs) {

    public CallResult {
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
        // List.copyOf refuses null elements, and an output may legitimately be null
        outputs = outputs == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(outputs));
    }

    public static CallResult done(String connectionId, String method, List<Object> outputs) {
        return new CallResult(connectionId, method, WriteResult.Outcome.DONE, "", outputs);
    }

    public static CallResult refused(String connectionId, String method, String reason) {
        return new CallResult(connectionId, method, WriteResult.Outcome.REFUSED, reason, List.of());
    }

    /** @since 1.2 */
    public static CallResult denied(String connectionId, String method, String reason) {
        return new CallResult(connectionId, method, WriteResult.Outcome.DENIED, reason, List.of());
    }

    public static CallResult failed(String connectionId, String method, String reason) {
        return new CallResult(connectionId, method, WriteResult.Outcome.FAILED, reason, List.of());
    }
}
