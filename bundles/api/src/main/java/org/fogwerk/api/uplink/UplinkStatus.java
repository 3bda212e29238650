package org.fogwerk.api.uplink;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of one uplink.
 *
 * @param state          where it stands
 * @param lastError      the last error, empty when none
 * @param since          when the state was entered
 * @param outboxDepth    messages in the outbox not yet acknowledged by the broker
 * @param oldestUnsent   age of the oldest of them, zero when none
 * @param sentPerSecond  acknowledged messages per second, over the last few seconds
 * @param sent           messages acknowledged since start
 * @param replayed       of those, how many were sent after waiting out an outage
 * @param dropped        messages dropped because the outbox was full
 * @param refused        values refused (outbox full with policy refuse, or a message larger than the
 *                       broker takes); each refusal is also marked on the next message of its topic
 * @param quarantined    damaged messages set aside (kept in a quarantine folder) so the ones behind them go
 */
public record UplinkStatus(UplinkState state, String lastError, Instant since, long outboxDepth,
        Duration oldestUnsent, double sentPerSecond, long sent, long replayed, long dropped, long refused,
        long quarantined, long outboxBytes) {

    /** A status without the outbox's size in bytes. */
    public UplinkStatus(UplinkState state, String lastError, Instant since, long outboxDepth, Duration oldestUnsent,
            double sentPerSecond, long sent, long replayed, long dropped, long refused, long quarantined) {
        this(state, lastError, since, outboxDepth, oldestUnsent, sentPerSecond, sent, replayed, dropped, refused,
                quarantined, 0);
    }

    /** A status without refused or quarantined messages, as before they were counted. */
    public UplinkStatus(UplinkState state, String lastError, Instant since, long outboxDepth, Duration oldestUnsent,
            double sentPerSecond, long sent, long replayed, long dropped) {
        this(state, lastError, since, outboxDepth, oldestUnsent, sentPerSecond, sent, replayed, dropped, 0, 0, 0);
    }
}
