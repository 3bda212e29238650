package org.fogwerk.uplink.mqtt.internal.shell;

import java.util.List;

import org.fogwerk.api.uplink.Uplink;

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
