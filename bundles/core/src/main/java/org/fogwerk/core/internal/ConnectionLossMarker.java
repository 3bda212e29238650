package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for values of a lost connection, whatever the protocol: when a connection is
 * DISCONNECTED or FAILED, every one of its tags turns BAD with the connection's reason, published
 * once per loss, so that no consumer (shadow, uplinks, Sparkplug) keeps a frozen value as GOOD.
 * Tags the connector already reported BAD are left as they are. Fresh values after the recovery
 * come from the connector, which must send the current value of every tag when it is back.
 */
final class ConnectionLossMarker {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLossMarker.class);

    private final TagBus bus;
    private final TagSink sink;
    /** Connections whose tags were marked BAD for the loss going on now. */
    private final Set<String> marked = ConcurrentHashMap.newKeySet();

    ConnectionLossMarker(TagBus bus, TagSink sink) {
        this.bus = bus;
        this.sink = sink;
    }

    static boolean lost(ConnectorState state) {
        return state == ConnectorState.DISCONNECTED || state == ConnectorState.FAILED;
    }

    /**
     * Looks at one connection's status; {@code current} reads it again right before publishing,
     * so that values of a connection that came back meanwhile are not overwritten.
     */
    void observe(Connector connector, ConnectorStatus status, Supplier<ConnectorStatus> current) {
        String id = connector.id();
        if (!lost(status.state())) {
            if (status.state() != ConnectorState.CONNECTING) {
                marked.remove(id);
            }
            return;
        }
        if (marked.contains(id)) {
            return;
        }
        String reason = status.reason().isEmpty() ? "connection " + status.state() : status.reason();
        List<TagValue> stale = stale(id, connector.tags(), reason);
        if (!lost(current.get().state())) {
            return;
        }
        marked.add(id);
        if (!stale.isEmpty()) {
            int taken = sink.publishAll(stale);
            LOG.info("Connection {} is {}: {} tag(s) marked BAD ({})", id, status.state(), taken, reason);
        }
    }

    /**
     * A connection that goes away (its file deleted, or changed so that a new one replaces it):
     * every tag it left a value of turns BAD, so no shadow or uplink keeps its last values as GOOD.
     */
    void removed(String id) {
        marked.remove(id);
        List<TagValue> stale = stale(id, List.of(), "connection removed: its configuration was deleted or changed");
        if (!stale.isEmpty()) {
            int taken = sink.publishAll(stale);
            LOG.info("Connection {} removed: {} tag(s) marked BAD", id, taken);
        }
    }

    /**
     * A BAD value for each tag of the connection not BAD yet: those it defines now and those it
     * left values of, which a connection whose new configuration failed (no tags) still has.
     */
    private List<TagValue> stale(String id, List<TagDefinition> defined, String reason) {
        long now = System.currentTimeMillis();
        Map<String, Quality> latest = new TreeMap<>();
        for (TagDefinition d : defined) {
            latest.put(d.name(), null);
        }
        for (TagValue v : bus.latest(id)) {
            latest.put(v.tag(), v.quality());
        }
        List<TagValue> stale = new ArrayList<>();
        latest.forEach((name, quality) -> {
            if (quality != Quality.BAD) {
                stale.add(TagValue.of(id, name, null, Quality.BAD, reason, now, now));
            }
        });
        return stale;
    }

    void forget(String id) {
        marked.remove(id);
    }
}
