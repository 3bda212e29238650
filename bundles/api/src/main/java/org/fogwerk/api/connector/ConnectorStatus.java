package org.fogwerk.api.connector;

import java.time.Instant;
import java.util.Objects;

/**
 * A connection's state with the reason for it and since when it holds.
 *
 * @param state      the state
 * @param reason     the last error or why the state was entered; empty when there is none
 * @param since      when the state was entered
 * @param reconnects how many times the connection was re-established after a loss
 */
public record ConnectorStatus(ConnectorState state, String reason, Instant since, long reconnects) {

    public ConnectorStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        reason = reason == null ? "" : reason;
    }

    public static ConnectorStatus of(ConnectorState state, String reason) {
        return new ConnectorStatus(state, reason, Instant.now(), 0);
    }

    /** The same status moved to a new state now, keeping the reconnect count. */
    public ConnectorStatus to(ConnectorState newState, String newReason) {
        return new ConnectorStatus(newState, newReason, Instant.now(), reconnects);
    }
}
