package org.fogwerk.uplink.mqtt.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;

/**
 * An uplink that does not run: its configuration cannot work ({@code FAILED}) or its profile is not
 * installed ({@code WAITING}). Visible in the shell with the reason; accepts nothing.
 */
final class InactiveUplink implements Uplink {

    private final String name;
    private final UplinkState state;
    private final String reason;
    private final Instant since = Instant.now();
    /** What the uplink counted before it stopped running, or null. */
    private final UplinkStatus counted;

    /** An uplink that ran and counted {@code counted} (null: nothing) before it stopped. */
    InactiveUplink(String name, UplinkState state, String reason, UplinkStatus counted) {
        this.name = name;
        this.state = state;
        this.reason = reason;
        this.counted = counted;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public UplinkStatus status() {
        UplinkStatus c = counted;
        if (c == null) {
            return new UplinkStatus(state, reason, since, 0, Duration.ZERO, 0, 0, 0, 0);
        }
        // an outbox that cannot be opened still holds what it held on disk: its last known depth
        // stays shown, and its oldest message keeps growing older
        Duration oldest = c.oldestUnsent().isZero() ? Duration.ZERO
                : c.oldestUnsent().plus(Duration.between(since, Instant.now()));
        return new UplinkStatus(state, reason, since, c.outboxDepth(), oldest, 0, c.sent(), c.replayed(), c.dropped(),
                c.refused(), c.quarantined(), c.outboxBytes());
    }

    @Override
    public CompletionStage<Void> submit(List<TagValue> values) {
        return CompletableFuture.failedFuture(new IllegalStateException("uplink " + name + ": " + reason));
    }

    @Override
    public CompletionStage<Void> flush() {
        return CompletableFuture.failedFuture(new IllegalStateException("uplink " + name + ": " + reason));
    }
}
