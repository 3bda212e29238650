package org.fogwerk.broker.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.moquette.broker.security.IAuthenticator;

/** Accepts the one configured user name and password; compares in constant time. */
final class PasswordAuthenticator implements IAuthenticator {

    private final byte[] username;
    private final byte[] password;

    PasswordAuthenticator(String username, String password) {
        this.username = username.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkValid(String clientId, String user, byte[] pass) {
        if (user == null || pass == null) {
            return false;
        }
        boolean userOk = MessageDigest.isEqual(username, user.getBytes(StandardCharsets.UTF_8));
        boolean passOk = MessageDigest.isEqual(password, pass);
        return userOk & passOk;
    }
}
