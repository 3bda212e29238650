package org.fogwerk.broker.internal;

import java.time.Instant;

/**
 * A snapshot of the embedded broker.
 *
 * @param mode the configured mode, or the raw value if it was invalid
 * @param state what the broker is doing
 * @param endpoint {@code tcp://host:port} the broker serves, or would serve
 * @param reason why it is in this state (empty when running)
 * @param connectedClients clients connected to the embedded broker; -1 when it is not running
 * @param since when the state last changed
 */
public record BrokerStatus(String mode, BrokerState state, String endpoint, String reason, int connectedClients,
        Instant since) {

    public boolean running() {
        return state == BrokerState.RUNNING;
    }
}
