package org.fogwerk.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.testing.FreePorts;
import org.fogwerk.web.testing.PrometheusText;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The node's HTTP face as a client sees it, with a real HTTP client against the booted
 * distribution: authentication and each role, every resource, each error code as a problem
 * document, the event stream, /metrics read by a strict Prometheus text parser, and readiness
 * turning 503 when a connection file is broken and 200 when it is fixed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebIT {

    private static final String HTTP_PORT = "fogwerk.it.http.port";
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String PROBLEM = "application/problem+json";

    @Inject
    BundleContext context;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private static final String NODE = "fogwerk.it.node";

    /** The demo's implicit thing of the Modbus connection: it carries the node id. */
    private static String modbusThing() {
        return System.getProperty(NODE) + "-sim-modbus";
    }

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        String opcuaPort = Integer.toString(FreePorts.next());
        String modbusPort = Integer.toString(FreePorts.next());
        String httpPort = Integer.toString(FreePorts.next());
        String nodeId = NodeOptions.nodeId();
        return new Option[] {
            NodeOptions.node(opcuaPort, modbusPort, httpPort, nodeId),
            systemProperty(NODE).value(nodeId),
            // one user per role beside the shipped admin
            editConfigurationFilePut("etc/users.properties", "vera", "vera-pw,viewer"),
            editConfigurationFilePut("etc/users.properties", "otto", "otto-pw,operator"),
            systemProperty(HTTP_PORT).value(httpPort),
        };
    }

    // --- authentication and roles

    @Test
    public void onlyHealthAnswersWithoutCredentialsAndRolesDecide() throws Exception {
        awaitServing();
        assertEquals(200, send(get("/health/live")).statusCode());
        for (String path : new String[] {"/api/v1/connectors", "/metrics", "/api/v1/openapi.json", "/api/docs/"}) {
            HttpResponse<String> r = send(get(path));
            assertProblem(r, 401, "authentication required");
            assertTrue(path, r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        }
        // a path written so that the container serves another resource than it names is refused
        for (String sneaky : new String[] {"/console/%2e%2e/api/v1/audit", "/console/../api/v1/audit",
                "/api/v1//audit", "/api/v1;/audit"}) {
            HttpResponse<String> r = send(get(sneaky));
            assertEquals(sneaky + ": " + r.body(), 400, r.statusCode());
        }
        assertProblem(send(get("/api/v1/connectors", "vera", "wrong")), 401, "user name or password wrong");
        assertEquals(200, send(get("/api/v1/connectors", "vera", "vera-pw")).statusCode());
        assertProblem(send(post("/api/v1/connectors/sim-modbus/tags/setpointFloat19/write", "vera", "vera-pw",
                "{\"value\": 12.5}")), 403, "needs the role operator");
        assertProblem(send(post("/api/v1/uplinks/local/flush", "vera", "vera-pw", null)), 403, "needs the role operator");
        assertProblem(send(get("/api/v1/audit", "otto", "otto-pw")), 403, "needs the role admin");
        int audit = send(get("/api/v1/audit", "admin", "admin")).statusCode();
        assertTrue("admin reads the audit trail where there is one: " + audit, audit == 200 || audit == 503);
    }

    @Test
    public void aTypoInTheWebSettingsNeverTurnsTheLoginOff() throws Exception {
        awaitServing();
        Path file = Paths.get(System.getProperty("karaf.etc"), "org.fogwerk.web.cfg");
        String before = Files.exists(file) ? Files.readString(file) : null;
        try {
            replace(file, (before == null ? "" : before) + "\nsession.timeout = abc\nbody.limit = lots\n");
            // while the components take the file, and after: never served without a login
            await().during(Duration.ofSeconds(5)).atMost(WAIT).until(() -> {
                int status = send(get("/api/v1/audit")).statusCode();
                return status == 401 || status == 404 || status == 503;
            });
            // the keys that do not convert have their defaults, the rest of the face works
            await().atMost(WAIT).until(() -> send(get("/api/v1/connectors", "vera", "vera-pw")).statusCode() == 200);
            assertProblem(send(get("/api/v1/connectors")), 401, "authentication required");
            assertProblem(send(get("/api/v1/audit", "otto", "otto-pw")), 403, "needs the role admin");
        } finally {
            if (before == null) {
                Files.deleteIfExists(file);
            } else {
                replace(file, before);
            }
            awaitServing(); // the settings as they were, taken: the next test finds the face as it was
        }
    }

    @Test
    public void aBrowserSessionWorksWithItsCookieAndNeedsTheCsrfTokenForChanges() throws Exception {
        HttpResponse<String> login = ottoLogsIn();
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = json.readTree(login.body()).get("csrfToken").asText();

        HttpRequest.Builder read = HttpRequest.newBuilder(uri("/api/v1/uplinks")).header("Cookie", cookie);
        assertEquals(200, send(read.GET().build()).statusCode());
        HttpRequest forged = HttpRequest.newBuilder(uri("/api/v1/uplinks/local/flush")).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertProblem(send(forged), 403, "X-CSRF-Token");
        HttpRequest flush = HttpRequest.newBuilder(uri("/api/v1/uplinks/local/flush")).header("Cookie", cookie)
                .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> flushed = send(flush);
        assertEquals(flushed.body(), 200, flushed.statusCode());
        assertEquals("local", json.readTree(flushed.body()).get("name").asText());

        send(HttpRequest.newBuilder(uri("/api/v1/session")).header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .DELETE().build());
        assertProblem(send(read.GET().build()), 401, "authentication required");
    }

    @Test
    public void aChangeOfTheAccountsEndsTheBrowserSessions() throws Exception {
        String setCookie = ottoLogsIn().headers().firstValue("Set-Cookie").orElseThrow();
        HttpRequest read = HttpRequest.newBuilder(uri("/api/v1/uplinks"))
                .header("Cookie", setCookie.substring(0, setCookie.indexOf(';'))).GET().build();
        assertEquals(200, send(read).statusCode());
        // what jaas:user-add, a changed role or a removed user does to the realm's file
        Path users = Paths.get(System.getProperty("karaf.etc"), "users.properties");
        Files.writeString(users, "# accounts reviewed\n", StandardOpenOption.APPEND);
        assertProblem(send(read), 401, "authentication required");
        ottoLogsIn();
    }

    /** An operator's browser login: 201 with the session cookie and the CSRF token. */
    private HttpResponse<String> ottoLogsIn() throws Exception {
        awaitServing();
        HttpResponse<String> login = send(post("/api/v1/session", "otto", "otto-pw", null));
        assertEquals(login.body(), 201, login.statusCode());
        return login;
    }

    // --- resources

    @Test
    public void connectorsTagsThingsShadowsUplinksAndSimulatorsAnswer() throws Exception {
        awaitServing();
        JsonNode modbus = await().atMost(WAIT).ignoreExceptions().until(
                () -> json(get("/api/v1/connectors/sim-modbus", "vera", "vera-pw")),
                c -> "CONNECTED".equals(c.get("state").asText()));
        assertTrue(modbus.toString(), modbus.has("since") && modbus.has("valuesPerSecond") && modbus.has("dropped"));
        assertTrue(json(get("/api/v1/connectors", "vera", "vera-pw")).size() >= 2);

        JsonNode sine = await().atMost(WAIT).ignoreExceptions().until(
                () -> json(get("/api/v1/connectors/sim-modbus/tags/sineDouble06", "vera", "vera-pw")),
                t -> "GOOD".equals(t.path("quality").asText()));
        assertTrue(sine.toString(), sine.get("value").isNumber() && sine.has("sourceTime"));
        JsonNode tags = json(get("/api/v1/connectors/sim-modbus/tags", "vera", "vera-pw"));
        assertTrue(tags.size() > 10);
        assertEquals("GOOD", json(get("/api/v1/connectors/sim-modbus/tags/sineDouble06/read", "vera", "vera-pw"))
                .get("quality").asText());

        JsonNode browse = await().atMost(WAIT).ignoreExceptions().until(() -> json(get(
                "/api/v1/connectors/sim-opcua/browse?node=" + java.net.URLEncoder.encode(
                        "nsu=urn:fogwerk:simulator;s=Machine", StandardCharsets.UTF_8), "vera", "vera-pw")),
                b -> b.size() > 0);
        assertTrue(browse.toString(), browse.get(0).has("nodeId"));

        JsonNode things = json(get("/api/v1/things", "vera", "vera-pw"));
        assertTrue(things.toString(), things.toString().contains("sim-modbus"));
        JsonNode shadow = await().atMost(WAIT).ignoreExceptions().until(
                () -> json(get("/api/v1/things/" + modbusThing() + "/shadow", "vera", "vera-pw")),
                s -> s.path("state").path("reported").size() > 0);
        assertTrue(shadow.get("version").asLong() >= 1);

        JsonNode uplink = json(get("/api/v1/uplinks/local", "vera", "vera-pw"));
        assertTrue(uplink.toString(), uplink.has("outboxMessages") && uplink.has("oldestUnsentSeconds"));
        JsonNode simulators = json(get("/api/v1/simulators", "vera", "vera-pw"));
        assertEquals(simulators.toString(), 2, simulators.size());
        // the demo's route file, from the Camel bundle's route catalog
        await().atMost(WAIT).ignoreExceptions().until(() -> json(get("/api/v1/routes", "vera", "vera-pw")).toString()
                .contains("demo-sine-alarm"));
        JsonNode openapi = json(get("/api/v1/openapi.json", "vera", "vera-pw"));
        assertTrue(openapi.get("paths").has("/connectors/{id}/tags/{tag}/write"));
        HttpResponse<String> docs = send(get("/api/docs/swagger-ui-bundle.js", "vera", "vera-pw"));
        assertEquals(200, docs.statusCode());
        assertTrue(send(get("/api/docs/", "vera", "vera-pw")).body().contains("swagger-ui"));
    }

    @Test
    public void writesGoThroughTheGatewayAndEveryErrorIsAProblem() throws Exception {
        awaitServing();
        String write = "/api/v1/connectors/sim-modbus/tags/setpointFloat19/write";
        assertProblem(send(get("/api/v1/connectors/no-such", "vera", "vera-pw")), 404, "no connection named 'no-such'");
        assertProblem(send(get("/api/v1/connectors/sim-modbus/tags/no-such", "vera", "vera-pw")), 404, "no tag named");
        assertProblem(send(get("/api/v1/nothing", "vera", "vera-pw")), 404, "no resource");
        assertProblem(send(HttpRequest.newBuilder(uri(write)).header("Authorization", basic("otto", "otto-pw"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("12.5")).build()),
                415, "application/json");
        assertProblem(send(post(write, "otto", "otto-pw", "{\"value\": \"" + "x".repeat(70_000) + "\"}")), 413, "limit");
        assertProblem(send(post(write, "otto", "otto-pw", "{\"value\": ")), 400, "not valid JSON");
        assertProblem(send(post(write, "otto", "otto-pw", "{\"other\": 1}")), 400, "'value'");

        boolean gateway = context.getServiceReference(WriteGateway.class) != null;
        HttpResponse<String> written = send(post(write, "otto", "otto-pw", "{\"value\": 12.5}"));
        HttpResponse<String> shadowUpdate = send(post("/api/v1/things/" + modbusThing() + "/shadows/web-it", "otto", "otto-pw",
                "{\"state\":{\"desired\":{\"note\":\"from the web test\"}}}"));
        if (!gateway) {
            assertProblem(written, 503, "write gateway not available");
            assertProblem(shadowUpdate, 503, "write gateway not available");
            return;
        }
        assertEquals(written.body(), 200, written.statusCode());
        assertEquals("DONE", json.readTree(written.body()).get("outcome").asText());
        await().atMost(WAIT).ignoreExceptions().until(() -> json(get(
                "/api/v1/connectors/sim-modbus/tags/setpointFloat19", "vera", "vera-pw")).get("value").asDouble() == 12.5);
        assertProblem(send(post(write, "otto", "otto-pw", "{\"value\": 1000}")), 400, "above the maximum");

        assertEquals(shadowUpdate.body(), 200, shadowUpdate.statusCode());
        long version = json(get("/api/v1/things/" + modbusThing() + "/shadows/web-it", "vera", "vera-pw")).get("version").asLong();
        assertProblem(send(post("/api/v1/things/" + modbusThing() + "/shadows/web-it", "otto", "otto-pw",
                "{\"state\":{\"desired\":{\"note\":\"late\"}},\"version\":" + (version + 5) + "}")), 409, "");
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri("/api/v1/things/" + modbusThing() + "/shadows/web-it"))
                .header("Authorization", basic("otto", "otto-pw")).DELETE().build());
        assertEquals(deleted.body(), 200, deleted.statusCode());
        assertProblem(send(get("/api/v1/things/" + modbusThing() + "/shadows/web-it", "vera", "vera-pw")), 404, "");
    }

    // --- metrics, events, health

    @Test
    public void metricsAreValidPrometheusTextWithTheNodesCounters() throws Exception {
        awaitServing();
        String connected = "fogwerk_connector_state{connection=\"sim-modbus\",state=\"CONNECTED\",}";
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            Map<String, Double> m = PrometheusText.parse(send(get("/metrics", "vera", "vera-pw")).body());
            return m.get("fogwerk_connector_values_total{connection=\"sim-modbus\",}") > 0 && m.get(connected) == 1.0;
        });
        HttpResponse<String> r = send(get("/metrics", "vera", "vera-pw"));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, Double> m = PrometheusText.parse(r.body());
        for (String series : new String[] {"fogwerk_connector_dropped_total{connection=\"sim-modbus\",}",
            "fogwerk_connector_reconnects_total{connection=\"sim-opcua\",}",
            "fogwerk_uplink_outbox_messages{uplink=\"local\",}", "fogwerk_uplink_outbox_bytes{uplink=\"local\",}",
            "fogwerk_uplink_sent_total{uplink=\"local\",}",
            "fogwerk_uplink_dropped_total{uplink=\"local\",}", "fogwerk_bus_dropped_total",
            "fogwerk_events_dropped_total", "jvm_memory_bytes_used{area=\"heap\",}", "jvm_threads_current"}) {
            assertTrue(series + " in\n" + r.body(), m.containsKey(series));
        }
        assertEquals(0.0, m.get("fogwerk_connector_state{connection=\"sim-modbus\",state=\"FAILED\",}"), 0);
    }

    @Test
    public void theEventStreamDeliversValuesAndStateChangesAndReadinessFollowsABrokenFile() throws Exception {
        awaitServing();
        await().atMost(WAIT).until(() -> send(get("/health/ready")).statusCode() == 200);

        // a HEAD has the headers of the GET, whose stream has no length
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri("/api/v1/events"))
                .header("Authorization", basic("vera", "vera-pw")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertTrue(head.headers().map().toString(), head.headers().firstValue("Content-Length").isEmpty());

        HttpRequest events = HttpRequest.newBuilder(uri("/api/v1/events?connection=sim-modbus&tag=sine*"))
                .header("Authorization", basic("vera", "vera-pw")).GET().build();
        HttpResponse<InputStream> stream = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertEquals("text/event-stream", stream.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String value = readUntil(lines, l -> l.startsWith("data: {\"connection\":\"sim-modbus\",\"tag\":\"sine"));
            assertTrue(value, value.contains("\"quality\""));

            Path file = Paths.get(System.getProperty("karaf.etc"), "org.fogwerk.connector.modbus-sim-modbus.cfg");
            String good = Files.readString(file);
            try {
                replace(file, good.replaceFirst("(?m)^transport\\s*=.*$", "transport = pigeon"));
                // while the old instance goes and the failed one comes, the connection is briefly NOT_RUNNING
                HttpResponse<String> down = await().atMost(WAIT).until(() -> send(get("/health/ready")),
                        r -> r.statusCode() == 503 && r.body().contains("\"name\":\"sim-modbus\",\"status\":\"DOWN\","
                                + "\"state\":\"FAILED\""));
                JsonNode failed = null;
                for (JsonNode c : json.readTree(down.body()).get("components")) {
                    if ("sim-modbus".equals(c.get("name").asText())) {
                        failed = c;
                    }
                }
                assertEquals(down.body(), "FAILED", failed.get("state").asText());
                assertTrue(down.body(), failed.get("reason").asText().contains("transport"));
                String state = readUntil(lines, l -> l.startsWith("data: {\"kind\":\"connector\",\"name\":\"sim-modbus\"")
                        && l.contains("FAILED"));
                assertTrue(state, state.contains("transport"));
            } finally {
                replace(file, good);
            }
            await().atMost(WAIT).until(() -> send(get("/health/ready")).statusCode() == 200);
        }
    }

    // --- helpers

    /**
     * The web face answers, every servlet of it (a change of the web settings brings each back a
     * moment after the others), and the demo's connections are registered (they may come a moment
     * after it).
     */
    private void awaitServing() {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> send(get("/health/live")).statusCode() == 200);
        // steady for 3 s: a change of the settings takes the servlets away and back, and may do it twice
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                uri("/api/v1/events")).header("Authorization", basic("vera", "vera-pw")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                && send(get("/metrics", "vera", "vera-pw")).statusCode() == 200);
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> send(get("/api/v1/connectors/sim-modbus",
                "vera", "vera-pw")).statusCode() == 200 && send(get("/api/v1/connectors/sim-opcua", "vera", "vera-pw"))
                .statusCode() == 200);
    }

    private static String readUntil(BufferedReader lines, Predicate<String> wanted) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                return "(stream ended)";
            } catch (java.io.IOException e) {
                return "(stream failed: " + e + ")";
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void replace(Path file, String content) throws Exception {
        // written beside and moved, so the file installer never reads half a file
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-web-it");
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode json(HttpRequest request) throws Exception {
        HttpResponse<String> r = send(request);
        assertEquals(r.body(), 200, r.statusCode());
        return json.readTree(r.body());
    }

    private void assertProblem(HttpResponse<String> r, int status, String detailPart) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        assertEquals(r.body(), PROBLEM, r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode p = json.readTree(r.body());
        assertEquals(status, p.get("status").asInt());
        assertTrue(r.body(), p.get("detail").asText().contains(detailPart));
        assertTrue(r.body(), !r.body().contains("\tat ") && !r.body().contains("Exception"));
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + System.getProperty(HTTP_PORT) + path);
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static HttpRequest get(String path, String user, String password) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(user, password)).GET().build();
    }

    private static HttpRequest post(String path, String user, String password, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic(user, password));
        if (body == null) {
            return b.POST(HttpRequest.BodyPublishers.noBody()).build();
        }
        return b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
