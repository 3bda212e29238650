package org.fogwerk.connector.opcua.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.support.log.QuietStart;

/** What one connection reports about itself: its state, why, since when and how often it came back. */
final class ConnectionStatus {

    private final OpcUaSettings settings;
    private final QuietStart quietStart = new QuietStart();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile ConnectorStatus status;

    /** {@code settings} is null for a connection whose configuration was refused. */
    ConnectionStatus(OpcUaSettings settings, ConnectorState state, String reason) {
        this.settings = settings;
        this.status = ConnectorStatus.of(state, reason);
    }

    ConnectorStatus current() {
        ConnectorStatus s = status;
        return s.reconnects() == reconnects.get() ? s
                : new ConnectorStatus(s.state(), s.reason(), s.since(), reconnects.get());
    }

    synchronized void set(ConnectorState state, String reason) {
        if (state == ConnectorState.CONNECTED || state == ConnectorState.DEGRADED) {
            quietStart.connected();
        }
        ConnectorStatus old = status;
        if (old != null && old.state() == state && old.reason().equals(reason == null ? "" : reason)
                && old.reconnects() == reconnects.get()) {
            return;
        }
        status = new ConnectorStatus(state, reason, Instant.now(), reconnects.get());
    }

    long reconnected() {
        return reconnects.incrementAndGet();
    }

    /** True while the node is starting and a server that is not up yet is no reason to warn. */
    boolean quiet() {
        return quietStart.quiet();
    }

    /** CONNECTED, or DEGRADED naming the tags the server refused and the tag lines that were skipped. */
    void subscribed(List<String> badTags) {
        List<String> errs = settings.tagErrors();
        if (badTags.isEmpty() && errs.isEmpty()) {
            set(ConnectorState.CONNECTED, "");
        } else if (badTags.isEmpty()) {
            set(ConnectorState.DEGRADED, errs.size() + " tag lines skipped" + configErrors());
        } else {
            List<String> shown = badTags.size() > 20 ? badTags.subList(0, 20) : badTags;
            set(ConnectorState.DEGRADED, badTags.size() + " of " + settings.tags().size() + " tags failed: "
                    + String.join(", ", shown) + (badTags.size() > 20 ? ", ..." : "") + configErrors());
        }
    }

    private String configErrors() {
        List<String> errs = settings.tagErrors();
        return errs.isEmpty() ? "" : "; " + String.join("; ", errs.size() > 10 ? errs.subList(0, 10) : errs);
    }
}
