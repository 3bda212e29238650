package org.fogwerk.web.internal;

import java.util.Optional;

/** Checks a user name and password; empty when they are wrong. */
public interface Authenticator {

    Optional<WebUser> login(String user, char[] password);
}
