package org.fogwerk.api.authority;

import java.util.Objects;
import java.util.Set;

/**
 * Who asks for a write.
 *
 * @param source   the entry point
 * @param identity who, as the entry point knows it: the shell or REST user, the uplink, topic
 *                 and client token of an MQTT request, the route id; never a secret
 * @param roles    the roles of a logged-in user (shell, REST); empty for other sources
 */
public record Caller(Source source, String identity, Set<String> roles) {

    public Caller {
        Objects.requireNonNull(source, "source");
        identity = identity == null ? "" : identity;
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** A caller without roles: a route, a remote source or the node itself. */
    public static Caller of(Source source, String identity) {
        return new Caller(source, identity, Set.of());
    }

    /** A logged-in user of the shell or the REST API. */
    public static Caller user(Source source, String user, Set<String> roles) {
        return new Caller(source, user, roles);
    }

    @Override
    public String toString() {
        return identity.isEmpty() ? source.id() : source.id() + " " + identity;
    }
}
