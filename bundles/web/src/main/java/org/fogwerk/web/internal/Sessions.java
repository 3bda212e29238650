package org.fogwerk.web.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: a random session id for an HttpOnly cookie and a second random token the
 * page must send back in a header on every unsafe request (CSRF protection). Kept in memory
 * only: a restart of the node logs every browser out. Bounded, so logins cannot fill the heap.
 */
public final class Sessions {

    static final String COOKIE = "FOGWERK_SESSION";
    static final String CSRF_HEADER = "X-CSRF-Token";

    /** One session. */
    record Session(String id, WebUser user, String csrfToken, long expiresAtMillis) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idleTimeout;
    private final int maxSessions;

    public Sessions(Clock clock, Duration idleTimeout, int maxSessions) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
    }

    Session open(WebUser user) {
        long now = clock.millis();
        if (sessions.size() >= maxSessions) {
            sessions.values().removeIf(s -> s.expiresAtMillis() <= now);
            if (sessions.size() >= maxSessions) {
                // the session closest to expiry makes room: an idle browser logs in again
                sessions.values().stream().min((a, b) -> Long.compare(a.expiresAtMillis(), b.expiresAtMillis()))
                        .ifPresent(s -> sessions.remove(s.id()));
            }
        }
        Session s = new Session(token(), user, token(), now + idleTimeout.toMillis());
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of that id, its idle time restarted; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (s.expiresAtMillis() <= now) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        Session renewed = new Session(s.id(), s.user(), s.csrfToken(), now + idleTimeout.toMillis());
        sessions.replace(id, s, renewed);
        return Optional.of(renewed);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    int size() {
        return sessions.size();
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    private String token() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
