package org.fogwerk.shell.internal;

import java.util.List;

import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.support.bus.BusListeners;

/** Finds uplinks by name for the commands. */
final class Uplinks {

    private Uplinks() {
    }

    static Uplink find(List<Uplink> uplinks, String name) {
        if (uplinks != null) {
            for (Uplink u : uplinks) {
                if (u.name().equals(name)) {
                    return u;
                }
            }
        }
        throw new IllegalArgumentException("No uplink named '" + name + "' (see fogwerk:uplink-list)");
    }

    /** Values the uplink lost on the tag bus, before its outbox, because it did not keep up. */
    static long busDropped(TagBus bus, String uplink) {
        Counters c = bus == null ? null : bus.listeners().get(BusListeners.uplink(uplink));
        return c == null ? 0 : c.dropped();
    }

    static String duration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format("%.1f s", ms / 1000.0);
        }
        return d.toMinutes() + " min";
    }
}
