package org.fogwerk.web.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.fogwerk.api.authority.Roles;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Authenticates every request but {@code /health/*}: HTTP Basic credentials checked against
 * the JAAS realm, or the session cookie of a browser that logged in at {@code /api/v1/session}.
 * A session request that changes something must carry the session's CSRF token in
 * {@value Sessions#CSRF_HEADER}. Then the user's roles must cover what the request needs
 * ({@link AccessRules}): 401 without valid credentials, 403 for a role that may not.
 */
@Component(service = Filter.class, configurationPid = WebConstants.PID, property = {
    "osgi.http.whiteboard.filter.pattern=/*",
    "osgi.http.whiteboard.filter.asyncSupported=true",
    "osgi.http.whiteboard.filter.name=fogwerk-authentication"})
@Designate(ocd = WebConfig.class)
public final class AuthFilter implements Filter {

    /** The filter as the node's servlets find it, so that they are served only while it is. */
    static final String TARGET = "(osgi.http.whiteboard.filter.name=fogwerk-authentication)";

    /** Request attribute holding the authenticated {@link WebUser}. */
    static final String USER_ATTRIBUTE = "org.fogwerk.web.user";
    static final String API = "/api/v1";
    static final String SESSION_PATH = API + "/session";
    /** Sent by the web console's requests: a 401 then comes without {@code WWW-Authenticate}. */
    static final String CONSOLE_HEADER = "X-Requested-With";
    static final String CONSOLE = "fogwerk-console";
    /** The challenge of a 401 to a browser session: log in again at {@link #SESSION_PATH}. */
    static final String SESSION_CHALLENGE = "Session realm=\"fogwerk\", login=\"" + SESSION_PATH + "\"";

    private final Authenticator authenticator;
    private final Sessions sessions;
    /** Whether other machines may send credentials over plain HTTP ({@code plain.http.remote}). */
    private final boolean plainRemote;
    private final ObjectMapper mapper = new ObjectMapper();
    /** The node's services: the write gateway records writes refused here; {@code null} in tests without it. */
    private final Node node;

    @Activate
    public AuthFilter(WebConfig config, @Reference Node node) {
        this(new JaasAuthenticator((config = LenientConfig.of(WebConfig.class, config, WebConstants.FILE)).realm()),
                config, node);
    }

    private AuthFilter(Authenticator jaas, WebConfig config, Node node) {
        this(jaas, new Sessions(Clock.systemUTC(), Duration.ofMinutes(config.session_timeout()), config.session_max(),
                config.session_max_per_user(), jaas::accounts), config.plain_http_remote(), node);
    }

    public AuthFilter(Authenticator authenticator, Sessions sessions) {
        this(authenticator, sessions, false, null);
    }

    public AuthFilter(Authenticator authenticator, Sessions sessions, boolean plainRemote, Node node) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.plainRemote = plainRemote;
        this.node = node;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        // no page of another site may frame an answer of the node (the API documentation's "try it out"
        // would send its requests from the node's own origin), nor may a browser guess another type
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        String path = WebConstants.plainPath(request);
        String method = request.getMethod();
        if (java.util.Collections.list(request.getHeaders("Host")).size() > 1) {
            // RFC 9112 3.2: and the cross-site check compares Origin with the one Host
            Problems.write(request, response, 400, "the request has more than one Host header", "Host");
            return;
        }
        if (path == null) {
            // decided on as sent, served as resolved: /console/../api/v1/audit would pass as the console
            Problems.write(request, response, 400, "the path must be written plainly: no '.' or '..' segments, no"
                    + " empty segments, no ';', no encoded '/' and only whole percent-encodings of UTF-8", null);
            return;
        }
        String role = AccessRules.requiredRole(method, path);
        if (role == null) {
            chain.doFilter(req, res);
            return;
        }
        if (!plainRemote && !request.isSecure() && !loopback(request.getRemoteAddr())
                && !(request.getRemoteAddr() != null && request.getRemoteAddr().equals(request.getLocalAddr()))) {
            // refused before the credentials are looked at: no answer tells whether they were right
            Problems.write(request, response, 403, "credentials are taken over HTTPS only from another machine (this"
                    + " request came over plain HTTP from " + request.getRemoteAddr() + "): switch HTTPS on in"
                    + " etc/org.ops4j.pax.web.cfg, or set plain.http.remote = true in etc/org.fogwerk.web.cfg where"
                    + " the network on the way is encrypted", null);
            return;
        }
        WebUser user;
        Sessions.Session session = null;
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            Optional<WebUser> checked = basic(authorization.substring(6).trim());
            if (checked.isEmpty()) {
                unauthorized(request, response, "user name or password wrong");
                return;
            }
            user = checked.get();
        } else {
            session = sessions.find(cookie(request)).orElse(null);
            if (session == null) {
                unauthorized(request, response, "authentication required: HTTP Basic credentials, or the "
                        + Sessions.COOKIE + " cookie of a login at POST " + SESSION_PATH);
                return;
            }
            if (!AccessRules.safe(method) && !session.csrfToken().equals(request.getHeader(Sessions.CSRF_HEADER))) {
                refuse(request, response, session.user(), new ApiException(403, "a " + method + " in a browser session"
                        + " needs the header " + Sessions.CSRF_HEADER + " with the csrfToken its login returned",
                        Sessions.CSRF_HEADER));
                return;
            }
            user = session.user();
        }
        if (!AccessRules.safe(method) && crossSite(request)) {
            // a browser that keeps Basic credentials sends them with a form another site's page submits
            String site = request.getHeader("Origin") != null ? request.getHeader("Origin") : "Sec-Fetch-Site: cross-site";
            refuse(request, response, user, new ApiException(403, "a " + method + " from a page of another site ("
                    + site + ") is refused", "Origin"));
            return;
        }
        if (!user.may(role)) {
            // the same line the shell and the write gateway answer with
            refuse(request, response, user, new ApiException(403, Roles.refusal(user.caller(), role) + " (" + method
                    + " " + path + ")"));
            return;
        }
        if (path.equals(SESSION_PATH)) {
            session(request, response, method, user, session);
            return;
        }
        request.setAttribute(USER_ATTRIBUTE, user);
        chain.doFilter(req, res);
    }

    /** Answers a refusal; one of a write to a machine or a shadow is also recorded and counted by the write gateway. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, WebUser user, ApiException e)
            throws IOException {
        String path = WebConstants.plainPath(request);
        if (node != null && path != null && path.startsWith(API)) {
            WriteRequest.of(request.getMethod(), ApiServlet.segments(path.substring(API.length())))
                    .ifPresent(w -> w.refused(node.gateway, user.caller(), e));
        }
        Problems.write(request, response, e);
    }

    /**
     * Whether a browser says the request comes from a page of another site: {@code Sec-Fetch-Site:
     * cross-site}, or an {@code Origin} that is not this server's. Scripts and tools send neither.
     */
    static boolean crossSite(HttpServletRequest request) {
        if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
            return true;
        }
        java.util.List<String> origins = java.util.Collections.list(request.getHeaders("Origin"));
        if (origins.isEmpty() || origins.size() == 1 && origins.get(0).isEmpty()) {
            return false;
        }
        if (origins.size() > 1) {
            return true; // a browser sends one Origin: two are made up, and either may be the real one
        }
        // the same origin is scheme, host and port: a page of http://node does not change https://node
        String host = request.getHeader("Host");
        return host == null || !origins.get(0).equalsIgnoreCase((request.isSecure() ? "https://" : "http://") + host);
    }

    /**
     * A request from this box itself over the loopback interface: its password never crossed a
     * network. (A client on this box that connects to one of its other addresses comes from the
     * address it connects to: the remote address is then the local one.)
     */
    private static boolean loopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            // an address literal: no name lookup
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Login (POST, with Basic credentials), who am I (GET), logout (DELETE). */
    private void session(HttpServletRequest request, HttpServletResponse response, String method, WebUser user,
            Sessions.Session current) throws IOException {
        switch (method) {
            case "POST": {
                if (current != null) {
                    sessions.close(current.id());
                }
                Sessions.Session s;
                try {
                    s = sessions.open(user);
                } catch (ApiException e) {
                    Problems.write(request, response, e);
                    return;
                }
                // no Max-Age: the browser keeps the cookie while it runs, and the node ends the session
                // after session.timeout minutes without a request (a fixed Max-Age would log out a user at work)
                response.addHeader("Set-Cookie", Sessions.COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict"
                        + (request.isSecure() ? "; Secure" : ""));
                writeSession(response, 201, user, s.csrfToken());
                return;
            }
            case "GET":
            case "HEAD": // the container sends the headers of the GET without its body
                writeSession(response, 200, user, current == null ? null : current.csrfToken());
                return;
            case "DELETE":
                if (current != null) {
                    sessions.close(current.id());
                }
                response.addHeader("Set-Cookie", Sessions.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
                response.setStatus(204);
                return;
            case "OPTIONS":
                response.setHeader("Allow", "GET, HEAD, POST, DELETE, OPTIONS");
                response.setStatus(204);
                return;
            default:
                response.setHeader("Allow", "GET, HEAD, POST, DELETE, OPTIONS");
                Problems.write(request, response, 405, method + " is not a method of " + SESSION_PATH, null);
        }
    }

    private void writeSession(HttpServletResponse response, int status, WebUser user, String csrf) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user.name());
        body.put("roles", new TreeSet<>(user.roles()));
        if (csrf != null) {
            body.put("csrfToken", csrf);
        }
        Responses.send(response, status, Responses.JSON, mapper.writeValueAsBytes(body));
    }

    private Optional<WebUser> basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return authenticator.login(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (Sessions.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        // the console asks for the password in its own form, and an expired session (its event
        // stream cannot send headers) logs in there again: the browser's Basic dialog must not pop
        // up, so those are challenged to log in at the session resource (a scheme browsers leave alone)
        if (!CONSOLE.equals(request.getHeader(CONSOLE_HEADER)) && cookie(request) == null) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"fogwerk\", charset=\"UTF-8\"");
        } else {
            response.setHeader("WWW-Authenticate", SESSION_CHALLENGE);
        }
        Problems.write(request, response, 401, detail, null);
    }
}
