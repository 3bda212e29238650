package org.fogwerk.api.authority;

import java.security.AccessController;
import java.security.Principal;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.Subject;

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

    /**
     * The user logged in on this thread (the Karaf shell runs each command as its user's JAAS
     * subject): the user principal's name and the role principals' names. A thread without a
     * subject is a caller with no identity and no role.
     */
    @SuppressWarnings("removal")
    public static Caller currentUser(Source source) {
        Subject subject;
        try {
            subject = Subject.getSubject(AccessController.getContext());
        } catch (UnsupportedOperationException | SecurityException e) {
            subject = null;
        }
        return ofSubject(source, subject);
    }

    /** The caller a JAAS subject stands for: Karaf's {@code UserPrincipal} and {@code RolePrincipal}s. */
    public static Caller ofSubject(Source source, Subject subject) {
        if (subject == null) {
            return new Caller(source, "", Set.of());
        }
        String user = "";
        Set<String> roles = new HashSet<>();
        for (Principal p : subject.getPrincipals()) {
            String kind = p.getClass().getSimpleName();
            if (kind.equals("UserPrincipal")) {
                user = p.getName();
            } else if (kind.equals("RolePrincipal")) {
                roles.add(p.getName());
            }
        }
        return new Caller(source, user, roles);
    }

    @Override
    public String toString() {
        return identity.isEmpty() ? source.id() : source.id() + " " + identity;
    }
}
