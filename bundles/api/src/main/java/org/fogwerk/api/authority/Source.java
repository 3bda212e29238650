package org.fogwerk.api.authority;

import java.util.Locale;
import java.util.Optional;

/** The entry points a write can come through, as the write policy names them. */
public enum Source {
    /** The Karaf shell, as a logged-in user. */
    SHELL("shell", false),
    /** The REST API, as a logged-in user. */
    REST("rest", false),
    /** A Camel route of the node. */
    ROUTE("route", false),
    /** The MQTT command topic of a plain uplink. */
    MQTT_COMMAND("mqtt-command", true),
    /** The {@code $aws/things/...} shadow topics served on a broker. */
    AWS_LOCAL("aws-local", true),
    /** The AWS IoT Core shadow synchronisation. */
    AWS_CLOUD("aws-cloud", true),
    /** Sparkplug B NCMD and DCMD messages. */
    SPARKPLUG("sparkplug", true),
    /** The node itself (recording outcomes, software updates it runs). */
    NODE("node", false);

    private final String id;
    private final boolean remote;

    Source(String id, boolean remote) {
        this.id = id;
        this.remote = remote;
    }

    /** The name in the write policy and the audit trail. */
    public String id() {
        return id;
    }

    /** Whether the request comes from outside the node, where nobody logged in: denied unless the policy allows. */
    public boolean remote() {
        return remote;
    }

    /** The source with this policy name, case-insensitive. */
    public static Optional<Source> of(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Source s : values()) {
            if (s.id.equals(wanted)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id;
    }
}
