package org.fogwerk.api.authority;

import java.util.Locale;
import java.util.Optional;

/** The entry points a write can come through, as the write policy names them. */
public enum Source {
    /** The Karaf shell, as a logged-in user. */
    SHELL(false),
    /** The REST API, as a logged-in user. */
    REST(false),
    /** A Camel route of the node. */
    ROUTE(false),
    /** The MQTT command topic of a plain uplink. */
    MQTT_COMMAND(true),
    /** The {@code $aws/things/...} shadow topics served on a broker. */
    AWS_LOCAL(true),
    /** The AWS IoT Core shadow synchronisation. */
    AWS_CLOUD(true),
    /** Sparkplug B NCMD and DCMD messages. */
    SPARKPLUG(true),
    /** The node itself (recording outcomes, software updates it runs). */
    NODE(false);

    private final String id;
    private final boolean remote;

    Source(boolean remote) {
        this.id = name().toLowerCase(Locale.ROOT).replace('_', '-');
        this.remote = remote;
    }

    /** The name in the write policy and the audit trail: the constant's, in lower case with {@code -} for {@code _}. */
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
