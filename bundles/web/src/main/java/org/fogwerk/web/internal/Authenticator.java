package org.fogwerk.web.internal;

import java.util.Optional;

/** Checks a user name and password; empty when they are wrong. */
public interface Authenticator {

    Optional<WebUser> login(String user, char[] password);

    /**
     * What the accounts are now, for instance the time, size and identity of the realm's files;
     * when it changes, users or their roles may have changed, and every browser session ends (its
     * user logs in again, with the roles the user has then). {@code null}: never changes.
     */
    default Object accounts() {
        return null;
    }
}
