package org.fogwerk.web.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sessions: a random session id for an HttpOnly cookie and a second random token the
 * page must send back in a header on every unsafe request (CSRF protection). Kept in memory
 * only: a restart of the node logs every browser out. Bounded, so logins cannot fill the heap:
 * each user has at most {@code session.max.per.user} sessions, and a login beyond that ends the
 * user's own session unused the longest; when {@code session.max} sessions are open, a login
 * ends one of the user's own sessions if there is one, and is otherwise refused with 503. A
 * login never ends another user's session, so nobody can log the others out by logging in often.
 */
public final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    static final String COOKIE = "FOGWERK_SESSION";
    static final String CSRF_HEADER = "X-CSRF-Token";

    /** One session; {@code serial} orders the logins, for sessions last used in the same millisecond. */
    record Session(String id, WebUser user, String csrfToken, long expiresAtMillis, long serial) {
    }

    /** The session unused the longest first. */
    private static final Comparator<Session> LEAST_RECENTLY_USED = Comparator
            .comparingLong(Session::expiresAtMillis).thenComparingLong(Session::serial);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idleTimeout;
    private final int maxSessions;
    private final int maxPerUser;
    /** Logins so far; guarded by {@code this}. */
    private long serial;
    /** What the accounts are now ({@link Authenticator#accounts}). */
    private final Supplier<Object> accounts;
    /** The accounts as the sessions were opened with them; guarded by {@code this}. */
    private Object accountsSeen;

    public Sessions(Clock clock, Duration idleTimeout, int maxSessions, int maxPerUser) {
        this(clock, idleTimeout, maxSessions, maxPerUser, () -> null);
    }

    public Sessions(Clock clock, Duration idleTimeout, int maxSessions, int maxPerUser, Supplier<Object> accounts) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
        this.maxPerUser = maxPerUser;
        this.accounts = accounts;
        this.accountsSeen = accounts.get();
    }

    /**
     * A session keeps the roles its user had at login: when the accounts changed since (a user
     * given other roles, or removed), every session ends, and each user logs in again as the
     * accounts are now.
     */
    private void endAllWhenAccountsChanged() {
        Object now = accounts.get();
        synchronized (this) {
            if (!Objects.equals(now, accountsSeen)) {
                accountsSeen = now;
                int ended = sessions.size();
                sessions.clear();
                if (ended > 0) {
                    LOG.info("The accounts changed (etc/users.properties): {} browser session(s) ended; their"
                            + " users log in again with the roles they have now", ended);
                }
            }
        }
    }

    /**
     * A new session of that user. Room is made among the user's own sessions only: 503 when
     * {@code session.max} sessions of other users are open, with the seconds until the first of
     * them would end for want of requests.
     */
    synchronized Session open(WebUser user) throws ApiException {
        endAllWhenAccountsChanged();
        long now = clock.millis();
        sessions.values().removeIf(s -> s.expiresAtMillis() <= now);
        List<Session> own = sessions.values().stream().filter(s -> s.user().name().equals(user.name()))
                .sorted(LEAST_RECENTLY_USED).collect(Collectors.toCollection(ArrayList::new));
        while (!own.isEmpty() && (own.size() >= maxPerUser || sessions.size() >= maxSessions)) {
            sessions.remove(own.remove(0).id());
        }
        if (sessions.size() >= maxSessions) {
            long firstEnd = sessions.values().stream().mapToLong(Session::expiresAtMillis).min().orElse(now);
            throw ApiException.busy("already " + sessions.size() + " browser sessions, the most the node keeps"
                    + " (session.max in etc/" + WebConstants.PID + ".cfg): log in again when one has ended, or send"
                    + " HTTP Basic credentials with each request", (firstEnd - now + 999) / 1000);
        }
        Session s = new Session(token(), user, token(), now + idleTimeout.toMillis(), ++serial);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of that id, its idle time restarted; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        endAllWhenAccountsChanged();
        long now = clock.millis();
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (s.expiresAtMillis() <= now) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        Session renewed = new Session(s.id(), s.user(), s.csrfToken(), now + idleTimeout.toMillis(), s.serial());
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
