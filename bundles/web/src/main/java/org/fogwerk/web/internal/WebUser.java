package org.fogwerk.web.internal;

import java.util.Set;

import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.Source;

/** A user the realm authenticated, with the node roles among its principals. */
public record WebUser(String name, Set<String> roles) {

    public WebUser {
        roles = Set.copyOf(roles);
    }

    boolean may(String role) {
        return Roles.satisfies(roles, role);
    }

    /** The caller the write gateway sees: source {@code rest}, the user as identity. */
    Caller caller() {
        return Caller.user(Source.REST, name, roles);
    }
}
