package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.Cookie;

import org.junit.jupiter.api.Test;

class AuthFilterTest {

    private final Map<String, WebUser> users = Map.of("vera", Fakes.VIEWER, "otto", Fakes.OPERATOR, "ada", Fakes.ADMIN);
    // every user's password is its name reversed
    private final Authenticator authenticator = (user, password) -> Optional.ofNullable(users.get(user))
            .filter(u -> Arrays.equals(password, new StringBuilder(user).reverse().toString().toCharArray()));
    private final AuthFilter filter = new AuthFilter(authenticator, new Sessions(Clock.systemUTC(), Duration.ofMinutes(5), 10, 10));
    /** The time of the tests that move it on by hand. */
    private final SteppedClock clock = new SteppedClock();

    private FakeHttp.Response run(FakeHttp.Request request, FakeHttp.Chain chain) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        filter.doFilter(request.build(), response.build(), chain);
        return response;
    }

    @Test
    void withoutCredentialsEverythingButHealthIs401() throws Exception {
        FakeHttp.Chain chain = new FakeHttp.Chain();
        FakeHttp.Response r = run(new FakeHttp.Request("GET", "/api/v1/connectors"), chain);
        assertFalse(chain.reached);
        assertEquals(401, r.status);
        assertEquals(Problems.CONTENT_TYPE, r.contentType);
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic realm="));
        assertEquals(401, r.json().get("status").asInt());
        assertFalse(r.text().contains("Exception"));

        assertEquals(401, run(new FakeHttp.Request("GET", "/metrics"), new FakeHttp.Chain()).status);
        assertEquals(401, run(new FakeHttp.Request("GET", "/api/docs/"), new FakeHttp.Chain()).status);

        FakeHttp.Chain health = new FakeHttp.Chain();
        run(new FakeHttp.Request("GET", "/health/ready"), health);
        assertTrue(health.reached);
    }

    @Test
    void anotherMachineSendsCredentialsOverHttpsOnly() throws Exception {
        FakeHttp.Chain chain = new FakeHttp.Chain();
        FakeHttp.Response r = run(new FakeHttp.Request("GET", "/api/v1/connectors").basic("otto", "otto")
                .from("192.168.10.7", false), chain);
        assertFalse(chain.reached);
        assertEquals(403, r.status);
        assertTrue(r.json().get("detail").asText().startsWith("credentials are taken over HTTPS only from another"
                + " machine (this request came over plain HTTP from 192.168.10.7)"), r.text());

        for (FakeHttp.Request fine : new FakeHttp.Request[] {
                new FakeHttp.Request("GET", "/api/v1/connectors").from("192.168.10.7", true),
                new FakeHttp.Request("GET", "/api/v1/connectors").from("::1", false),
                new FakeHttp.Request("GET", "/api/v1/connectors").from("127.0.0.1", false),
                // a client on this box that connects to the box's own network address (Prometheus by host name)
                new FakeHttp.Request("GET", "/api/v1/connectors").from("192.168.10.2", false).to("192.168.10.2")}) {
            FakeHttp.Chain through = new FakeHttp.Chain();
            run(fine.basic("otto", "otto"), through);
            assertTrue(through.reached, fine.remote);
        }
        FakeHttp.Chain health = new FakeHttp.Chain();
        run(new FakeHttp.Request("GET", "/health/ready").from("192.168.10.7", false), health);
        assertTrue(health.reached, "health needs no credentials, so plain HTTP serves it");

        AuthFilter behindProxy = new AuthFilter(authenticator, new Sessions(Clock.systemUTC(), Duration.ofMinutes(5), 10, 10),
                true, null);
        FakeHttp.Chain proxied = new FakeHttp.Chain();
        behindProxy.doFilter(new FakeHttp.Request("GET", "/api/v1/connectors").basic("otto", "otto")
                .from("192.168.10.7", false).build(), new FakeHttp.Response().build(), proxied);
        assertTrue(proxied.reached, "plain.http.remote = true lets it through");
    }

    @Test
    void theConsolesFilesNeedNoLoginAndItsRequestsGetNoBasicDialog() throws Exception {
        for (String path : new String[] {"/", "/index.html", "/console/app.js", "/console/vendor/uplot/dist/uPlot.esm.js"}) {
            FakeHttp.Chain chain = new FakeHttp.Chain();
            run(new FakeHttp.Request("GET", path), chain);
            assertTrue(chain.reached, path);
        }
        assertEquals(401, run(new FakeHttp.Request("POST", "/console/app.js"), new FakeHttp.Chain()).status);

        FakeHttp.Response console = run(new FakeHttp.Request("GET", "/api/v1/connectors")
                .header(AuthFilter.CONSOLE_HEADER, AuthFilter.CONSOLE), new FakeHttp.Chain());
        assertEquals(401, console.status);
        assertEquals(AuthFilter.SESSION_CHALLENGE, console.header("WWW-Authenticate"), "a challenge, but not Basic");
        FakeHttp.Request expired = new FakeHttp.Request("GET", "/api/v1/events");
        expired.cookies.add(new javax.servlet.http.Cookie(Sessions.COOKIE, "expired"));
        FakeHttp.Response stream = run(expired, new FakeHttp.Chain());
        assertEquals(401, stream.status);
        assertEquals(AuthFilter.SESSION_CHALLENGE, stream.header("WWW-Authenticate"));
    }

    @Test
    void theLoginAndTheRolesDecideOnThePathTheContainerServes() throws Exception {
        for (String sneaky : new String[] {"/console/../api/v1/audit", "/console/%2e%2e/api/v1/audit",
                "/console%2f..%2fapi/v1/audit", "/api/v1//audit", "/api/v1/./audit", "/api/v1/x/../audit",
                "/api/v1;/audit", "/health/..;/api/v1/connectors", "/api/v1/%zz"}) {
            FakeHttp.Chain chain = new FakeHttp.Chain();
            FakeHttp.Response r = run(new FakeHttp.Request("GET", sneaky).basic("vera", "arev"), chain);
            assertFalse(chain.reached, sneaky);
            assertEquals(400, r.status, sneaky);
            assertTrue(r.json().get("detail").asText().startsWith("the path must be written plainly"), r.text());
        }
        // an encoding of a plain path is that path: the admin's resource for the admin only
        FakeHttp.Chain encoded = new FakeHttp.Chain();
        assertEquals(403, run(new FakeHttp.Request("GET", "/api/v1/%61udit").basic("vera", "arev"), encoded).status);
        assertFalse(encoded.reached);
        FakeHttp.Chain admin = new FakeHttp.Chain();
        run(new FakeHttp.Request("GET", "/api/v1/%61udit").basic("ada", "ada"), admin);
        assertTrue(admin.reached);
        FakeHttp.Chain spaced = new FakeHttp.Chain();
        run(new FakeHttp.Request("GET", "/api/v1/connectors/press01/tags/oil%20temp").basic("vera", "arev"), spaced);
        assertTrue(spaced.reached, "a tag name with a space, percent-encoded");
    }

    @Test
    void aChangeFromAPageOfAnotherSiteIsRefusedEvenWithBasicCredentials() throws Exception {
        FakeHttp.Chain forged = new FakeHttp.Chain();
        FakeHttp.Response r = run(new FakeHttp.Request("POST", "/api/v1/uplinks/local/flush").basic("otto", "otto")
                .header("Host", "fog01:8181").header("Origin", "https://evil.example"), forged);
        assertFalse(forged.reached);
        assertEquals(403, r.status);
        assertEquals("Origin", r.json().get("field").asText());
        FakeHttp.Chain fetched = new FakeHttp.Chain();
        assertEquals(403, run(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadow").basic("otto", "otto")
                .header("Sec-Fetch-Site", "cross-site"), fetched).status);
        FakeHttp.Chain own = new FakeHttp.Chain();
        run(new FakeHttp.Request("POST", "/api/v1/uplinks/local/flush").basic("otto", "otto").header("Host", "fog01:8181")
                .header("Origin", "http://fog01:8181"), own);
        assertTrue(own.reached, "the console's own page");
        // another scheme is another origin, and two Origin headers are no browser's
        FakeHttp.Chain otherScheme = new FakeHttp.Chain();
        assertEquals(403, run(new FakeHttp.Request("POST", "/api/v1/uplinks/local/flush").basic("otto", "otto")
                .header("Host", "fog01:8181").header("Origin", "https://fog01:8181"), otherScheme).status);
        FakeHttp.Chain twoOrigins = new FakeHttp.Chain();
        FakeHttp.Response two = run(new FakeHttp.Request("POST", "/api/v1/uplinks/local/flush").basic("otto", "otto")
                .header("Host", "fog01:8181").header("Origin", "http://fog01:8181").header("Origin", "http://evil.example"),
                twoOrigins);
        assertEquals(403, two.status);
        assertFalse(otherScheme.reached || twoOrigins.reached);
        FakeHttp.Response fetchedAnswer = run(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadow")
                .basic("otto", "otto").header("Sec-Fetch-Site", "cross-site"), new FakeHttp.Chain());
        assertTrue(fetchedAnswer.text().contains("(Sec-Fetch-Site: cross-site)"), fetchedAnswer.text());
        FakeHttp.Chain reading = new FakeHttp.Chain();
        run(new FakeHttp.Request("GET", "/api/v1/connectors").basic("otto", "otto").header("Origin", "https://evil.example"),
                reading);
        assertTrue(reading.reached, "reading changes nothing (and the browser keeps the answer from the other page)");
    }

    @Test
    void everyAnswerForbidsFramingAndSniffingAndAmbiguousRequestsAre400() throws Exception {
        for (FakeHttp.Request r : List.of(new FakeHttp.Request("GET", "/api/docs/index.html").basic("vera", "arev"),
                new FakeHttp.Request("GET", "/api/v1/connectors"), new FakeHttp.Request("GET", "/health/ready"))) {
            FakeHttp.Response answer = run(r, new FakeHttp.Chain());
            assertEquals("nosniff", answer.header("X-Content-Type-Options"), r.toString());
            assertEquals("DENY", answer.header("X-Frame-Options"), r.toString());
            assertEquals("frame-ancestors 'none'", answer.header("Content-Security-Policy"), r.toString());
        }
        FakeHttp.Chain chain = new FakeHttp.Chain();
        FakeHttp.Response twoHosts = run(new FakeHttp.Request("POST", "/api/v1/uplinks/local/flush").basic("otto", "otto")
                .header("Host", "fog01:8181").header("Host", "evil.example").header("Origin", "http://fog01:8181"), chain);
        assertEquals(400, twoHosts.status, twoHosts.text());
        assertFalse(chain.reached);
        // an encoded '/' is not a separator, and bytes that are not UTF-8 are no name
        for (String path : List.of("/api/v1/things/a%2Fb/shadow", "/api/v1/things/%ff", "/api/v1/things/a%2fb")) {
            FakeHttp.Chain c = new FakeHttp.Chain();
            assertEquals(400, run(new FakeHttp.Request("GET", path).basic("vera", "arev"), c).status, path);
            assertFalse(c.reached, path);
        }
    }

    @Test
    void theSessionCookieLastsAsLongAsTheSessionIsUsed() throws Exception {
        FakeHttp.Response login = run(new FakeHttp.Request("POST", "/api/v1/session").basic("vera", "arev"),
                new FakeHttp.Chain());
        assertEquals(201, login.status, login.text());
        String cookie = login.header("Set-Cookie");
        assertTrue(cookie.startsWith(Sessions.COOKIE + "="), cookie);
        // the node ends a session after session.timeout minutes without a request; a Max-Age would end it
        // that long after the login, however busy its user
        assertFalse(cookie.contains("Max-Age"), cookie);
        FakeHttp.Response head = run(new FakeHttp.Request("HEAD", "/api/v1/session").basic("vera", "arev"),
                new FakeHttp.Chain());
        assertEquals(200, head.status, head.text());
    }

    @Test
    void aWrongPasswordIs401() throws Exception {
        FakeHttp.Chain chain = new FakeHttp.Chain();
        FakeHttp.Response r = run(new FakeHttp.Request("GET", "/api/v1/connectors").basic("vera", "vera"), chain);
        assertFalse(chain.reached);
        assertEquals(401, r.status);
        assertEquals("user name or password wrong", r.json().get("detail").asText());
    }

    @Test
    void rolesDecideWhatAUserMayDo() throws Exception {
        FakeHttp.Chain read = new FakeHttp.Chain();
        run(new FakeHttp.Request("GET", "/api/v1/connectors").basic("vera", "arev"), read);
        assertTrue(read.reached);
        assertSame(Fakes.VIEWER, read.request.getAttribute(AuthFilter.USER_ATTRIBUTE));

        FakeHttp.Chain write = new FakeHttp.Chain();
        FakeHttp.Response denied = run(new FakeHttp.Request("POST", "/api/v1/connectors/p/tags/t/write").basic("vera", "arev"), write);
        assertFalse(write.reached);
        assertEquals(403, denied.status);
        assertTrue(denied.json().get("detail").asText().contains("needs the role operator"), denied.text());

        FakeHttp.Chain operatorWrite = new FakeHttp.Chain();
        run(new FakeHttp.Request("POST", "/api/v1/connectors/p/tags/t/write").basic("otto", "otto"), operatorWrite);
        assertTrue(operatorWrite.reached);

        assertEquals(403, run(new FakeHttp.Request("GET", "/api/v1/audit").basic("otto", "otto"), new FakeHttp.Chain()).status);
        FakeHttp.Chain audit = new FakeHttp.Chain();
        run(new FakeHttp.Request("GET", "/api/v1/audit").basic("ada", "ada"), audit);
        assertTrue(audit.reached);
    }

    @Test
    void aWriteRefusedHereIsRecordedAndCountedByTheWriteGateway() throws Exception {
        Node node = Fakes.node();
        AuthFilter recorded = new AuthFilter(authenticator, new Sessions(Clock.systemUTC(), Duration.ofMinutes(5), 10, 10),
                false, node);
        Fakes.Gateway gateway = (Fakes.Gateway) node.gateway;
        FakeHttp.Response denied = new FakeHttp.Response();
        recorded.doFilter(new FakeHttp.Request("POST", "/api/v1/connectors/press01/tags/setpoint/write")
                .basic("vera", "arev").build(), denied.build(), new FakeHttp.Chain());
        assertEquals(403, denied.status);
        recorded.doFilter(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadows/recipe").basic("vera", "arev")
                .build(), new FakeHttp.Response().build(), new FakeHttp.Chain());
        // not a write to a machine or a shadow: refused, not in the write trail
        recorded.doFilter(new FakeHttp.Request("POST", "/api/v1/uplinks/cloud/flush").basic("vera", "arev").build(),
                new FakeHttp.Response().build(), new FakeHttp.Chain());

        FakeHttp.Response login = new FakeHttp.Response();
        recorded.doFilter(new FakeHttp.Request("POST", "/api/v1/session").basic("otto", "otto").build(), login.build(),
                new FakeHttp.Chain());
        String cookie = login.header("Set-Cookie");
        FakeHttp.Request forged = new FakeHttp.Request("POST", "/api/v1/things/press01/shadow");
        forged.cookies.add(new Cookie(Sessions.COOKIE, cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'))));
        FakeHttp.Response noToken = new FakeHttp.Response();
        recorded.doFilter(forged.build(), noToken.build(), new FakeHttp.Chain());
        assertEquals(403, noToken.status);

        assertEquals(List.of("write press01/setpoint 403 rest", "shadow-delete press01/recipe 403 rest",
                "desired press01/ 403 rest"), gateway.refusals);
    }

    @Test
    void aBrowserSessionNeedsItsCsrfTokenForChanges() throws Exception {
        FakeHttp.Response login = run(new FakeHttp.Request("POST", "/api/v1/session").basic("otto", "otto"), new FakeHttp.Chain());
        assertEquals(201, login.status);
        String cookie = login.header("Set-Cookie");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), cookie);
        String id = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        String csrf = login.json().get("csrfToken").asText();
        assertNotNull(csrf);
        assertEquals("otto", login.json().get("user").asText());

        FakeHttp.Chain get = new FakeHttp.Chain();
        FakeHttp.Request read = new FakeHttp.Request("GET", "/api/v1/connectors");
        read.cookies.add(new Cookie(Sessions.COOKIE, id));
        run(read, get);
        assertTrue(get.reached);

        FakeHttp.Request forged = new FakeHttp.Request("POST", "/api/v1/uplinks/local/flush");
        forged.cookies.add(new Cookie(Sessions.COOKIE, id));
        FakeHttp.Chain forgedChain = new FakeHttp.Chain();
        FakeHttp.Response refused = run(forged, forgedChain);
        assertFalse(forgedChain.reached);
        assertEquals(403, refused.status);
        assertEquals(Sessions.CSRF_HEADER, refused.json().get("field").asText());

        FakeHttp.Request real = new FakeHttp.Request("POST", "/api/v1/uplinks/local/flush").header(Sessions.CSRF_HEADER, csrf);
        real.cookies.add(new Cookie(Sessions.COOKIE, id));
        FakeHttp.Chain realChain = new FakeHttp.Chain();
        run(real, realChain);
        assertTrue(realChain.reached);

        FakeHttp.Request logout = new FakeHttp.Request("DELETE", "/api/v1/session").header(Sessions.CSRF_HEADER, csrf);
        logout.cookies.add(new Cookie(Sessions.COOKIE, id));
        assertEquals(204, run(logout, new FakeHttp.Chain()).status);

        FakeHttp.Request after = new FakeHttp.Request("GET", "/api/v1/connectors");
        after.cookies.add(new Cookie(Sessions.COOKIE, id));
        assertEquals(401, run(after, new FakeHttp.Chain()).status);
    }

    @Test
    void sessionsExpireWhenIdle() throws Exception {
        Sessions sessions = new Sessions(clock, Duration.ofMinutes(1), 2, 10);
        Sessions.Session s = sessions.open(Fakes.VIEWER);
        clock.now = 50_000;
        assertTrue(sessions.find(s.id()).isPresent());
        clock.now = 100_000;
        assertTrue(sessions.find(s.id()).isPresent(), "a request restarts the idle time");
        clock.now = 161_000;
        assertTrue(sessions.find(s.id()).isEmpty());

        sessions.open(Fakes.VIEWER);
        sessions.open(Fakes.VIEWER);
        sessions.open(Fakes.VIEWER);
        assertEquals(2, sessions.size(), "bounded");
    }

    @Test
    void whenTheAccountsChangeEveryBrowserSessionEndsAndItsUserLogsInWithTheRolesOfNow() throws Exception {
        // the accounts file, as JaasAuthenticator sees it: a stamp that changes when the file does
        Object[] accounts = {"users.properties as at first"};
        Sessions sessions = new Sessions(Clock.systemUTC(), Duration.ofMinutes(5), 10, 10, () -> accounts[0]);
        AuthFilter web = new AuthFilter(authenticator, sessions);
        String otto = login(web, "otto", "otto").sessionId();
        String ada = login(web, "ada", "ada").sessionId();
        assertEquals(200, read(web, otto));

        // an administrator makes otto a viewer, or removes him: his open console must not keep his old roles
        accounts[0] = "users.properties with otto demoted";
        assertEquals(401, read(web, otto), "the operator's session ended with the change");
        assertEquals(401, read(web, ada), "every session ends: the node cannot tell whose roles changed");
        String again = login(web, "ada", "ada").sessionId();
        assertEquals(200, read(web, again), "a login after the change works as before");
    }

    @Test
    void aUserWhoLogsInOftenEndsOnlyTheirOwnSessions() throws Exception {
        Sessions sessions = new Sessions(clock, Duration.ofMinutes(5), 4, 2);
        AuthFilter web = new AuthFilter(authenticator, sessions);
        String otto = login(web, "otto", "otto").sessionId();
        String ada = login(web, "ada", "ada").sessionId();
        List<String> vera = new java.util.ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            clock.now += 10;
            FakeHttp.Response r = login(web, "vera", "arev");
            assertEquals(201, r.status, r.text());
            vera.add(r.sessionId());
        }
        assertEquals(4, sessions.size());
        assertEquals(200, read(web, otto), "the operator is still logged in");
        assertEquals(200, read(web, ada), "the administrator is still logged in");
        assertEquals(401, read(web, vera.get(0)), "the viewer's own oldest session ended");
        assertEquals(401, read(web, vera.get(1002)));
        assertEquals(200, read(web, vera.get(1003)));
        assertEquals(200, read(web, vera.get(1004)));

        // of the user's own sessions, the one unused the longest ends, not one at work
        clock.now += 10;
        assertEquals(200, read(web, vera.get(1003)));
        clock.now += 10;
        String another = login(web, "vera", "arev").sessionId();
        assertEquals(200, read(web, vera.get(1003)));
        assertEquals(401, read(web, vera.get(1004)));
        assertEquals(200, read(web, another));
    }

    @Test
    void whenTheSessionsAreFullALoginIs503InsteadOfEndingAnotherUsersSession() throws Exception {
        Sessions sessions = new Sessions(clock, Duration.ofMinutes(5), 2, 10);
        AuthFilter web = new AuthFilter(authenticator, sessions);
        String otto = login(web, "otto", "otto").sessionId();
        clock.now = 60_000;
        FakeHttp.Response adaLogin = login(web, "ada", "ada");
        String ada = adaLogin.sessionId();
        clock.now = 90_000;

        FakeHttp.Response full = login(web, "vera", "arev");
        assertEquals(503, full.status, full.text());
        assertEquals(Problems.CONTENT_TYPE, full.contentType);
        assertEquals(503, full.json().get("status").asInt());
        assertTrue(full.json().get("detail").asText().startsWith("already 2 browser sessions"), full.text());
        assertEquals("210", full.header("Retry-After"), "otto's session ends for want of requests in 210 s");
        assertEquals(null, full.header("Set-Cookie"));
        assertEquals(200, read(web, otto));
        assertEquals(200, read(web, ada));
        assertEquals(2, sessions.size());
        FakeHttp.Chain basic = new FakeHttp.Chain();
        web.doFilter(new FakeHttp.Request("GET", "/api/v1/connectors").basic("vera", "arev").build(),
                new FakeHttp.Response().build(), basic);
        assertTrue(basic.reached, "Basic credentials need no session");

        // a user with a session of their own makes room with it
        String ottoAgain = login(web, "otto", "otto").sessionId();
        assertEquals(401, read(web, otto));
        assertEquals(200, read(web, ottoAgain));
        assertEquals(200, read(web, ada));

        FakeHttp.Request logout = new FakeHttp.Request("DELETE", "/api/v1/session")
                .header(Sessions.CSRF_HEADER, adaLogin.json().get("csrfToken").asText());
        logout.cookies.add(new Cookie(Sessions.COOKIE, ada));
        web.doFilter(logout.build(), new FakeHttp.Response().build(), new FakeHttp.Chain());
        assertEquals(201, login(web, "vera", "arev").status, "room again once a session ended");
    }

    private static FakeHttp.Response login(AuthFilter web, String user, String password) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        web.doFilter(new FakeHttp.Request("POST", "/api/v1/session").basic(user, password).build(), r.build(),
                new FakeHttp.Chain());
        return r;
    }

    /** The status of a read in the session of that id: 200 when it passed the filter. */
    private static int read(AuthFilter web, String sessionId) throws Exception {
        FakeHttp.Request request = new FakeHttp.Request("GET", "/api/v1/connectors");
        request.cookies.add(new Cookie(Sessions.COOKIE, sessionId));
        FakeHttp.Response r = new FakeHttp.Response();
        FakeHttp.Chain chain = new FakeHttp.Chain();
        web.doFilter(request.build(), r.build(), chain);
        return chain.reached ? 200 : r.status;
    }

    /** A clock the test moves on by hand. */
    private static final class SteppedClock extends Clock {
        long now;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(now);
        }
    }
}
