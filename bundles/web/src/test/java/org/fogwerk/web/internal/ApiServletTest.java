package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.routes.RouteCatalog;
import org.fogwerk.api.routes.RouteInfo;
import org.fogwerk.testing.Things;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ApiServletTest {

    private final Node node = Fakes.node();
    private final ApiServlet servlet = new ApiServlet(node, 1024, 5);

    private FakeHttp.Response call(FakeHttp.Request request) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(request.servlet("/api/v1").build(), response.build());
        return response;
    }

    private static FakeHttp.Request get(String path) {
        return new FakeHttp.Request("GET", "/api/v1" + path).user(Fakes.VIEWER);
    }

    private static FakeHttp.Request post(String path, String json) {
        return new FakeHttp.Request("POST", "/api/v1" + path).user(Fakes.OPERATOR).json(json);
    }

    private static void assertProblem(FakeHttp.Response r, int status, String field, String detailPart) throws Exception {
        assertEquals(status, r.status, r.text());
        assertEquals(Problems.CONTENT_TYPE, r.contentType);
        JsonNode p = r.json();
        assertEquals(status, p.get("status").asInt());
        if (field != null) {
            assertEquals(field, p.get("field").asText(), r.text());
        }
        assertTrue(p.get("detail").asText().contains(detailPart), r.text());
        assertFalse(r.text().contains("\tat "), "no stack trace");
    }

    @Test
    void connectorsListWithStateAndCounters() throws Exception {
        FakeHttp.Response r = call(get("/connectors"));
        assertEquals(200, r.status);
        JsonNode c = r.json().get(0);
        assertEquals("press01", c.get("id").asText());
        assertEquals("CONNECTED", c.get("state").asText());
        assertEquals("2026-12-06T04:00:00Z", c.get("since").asText());
        assertEquals(10.0, c.get("valuesPerSecond").asDouble());
        // lost anywhere on the bus, as DROPPED in the shell: 3 by its own queue, 6 by the uplink's
        assertEquals(9, c.get("dropped").asLong());
        assertEquals(6, c.get("droppedByConsumer").get("uplink-cloud").asLong());

        assertEquals("press01", call(get("/connectors/press01")).json().get("id").asText());
        assertProblem(call(get("/connectors/nope")), 404, "connection", "no connection named 'nope'");
    }

    @Test
    void tagsShowTheirDefinitionAndLatestValue() throws Exception {
        JsonNode tags = call(get("/connectors/press01/tags")).json();
        assertEquals(2, tags.size());
        JsonNode temperature = tags.get(1);
        assertEquals("temperature", temperature.get("name").asText());
        assertEquals(21.5, temperature.get("value").asDouble());
        assertEquals("GOOD", temperature.get("quality").asText());
        assertEquals("1970-01-01T00:00:01Z", temperature.get("sourceTime").asText());
        assertFalse(tags.get(0).has("value"), "no value arrived for the set point yet");

        assertEquals(21.5, call(get("/connectors/press01/tags/temperature")).json().get("value").asDouble());
        assertEquals(21.5, call(get("/connectors/press01/tags/temperature/read")).json().get("value").asDouble());
        assertProblem(call(get("/connectors/press01/tags/nope")), 404, "tag", "no tag named 'nope'");
    }

    @Test
    void aWriteTheMachineDidNotAnswerInTimeIs504AndOneItRefusedIs502() throws Exception {
        Fakes.Registry registry = ((Fakes.Gateway) node.gateway).registry;
        registry.failWith = "Bad_Timeout: requestId=112 timed out after 10000ms (no answer in time: the server may have"
                + " carried the write out; read the tag)";
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 12.5}")), 504, "value",
                "it may have been carried out or not (read the tag)");
        registry.failWith = "Bad_NotWritable";
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 12.5}")), 502, "value",
                "the write failed on the way to the machine or on it: Bad_NotWritable");
        registry.failWith = null;
    }

    @Test
    void aWriteGoesThroughTheGatewayAsTheRestUser() throws Exception {
        FakeHttp.Response r = call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 12.5}"));
        assertEquals(200, r.status, r.text());
        assertEquals("DONE", r.json().get("outcome").asText());
        List<Caller> callers = ((Fakes.Gateway) node.gateway).callers;
        assertEquals(Source.REST, callers.get(0).source());
        assertEquals("otto", callers.get(0).identity());
        assertEquals(12.5, node.bus.latest("press01", "setpoint").map(TagValue::value).orElseThrow());

        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 1000}")), 400, "value",
                "above the maximum");
        assertProblem(call(post("/connectors/press01/tags/temperature/write", "{\"value\": 1}")), 400, "value",
                "read-only");
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"val\": 1}")), 400, "value",
                "needs a field 'value'");
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 1, \"force\": true}")), 400,
                "force", "unknown field 'force'");
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": [1]}")), 400, "value",
                "number, true/false or text");
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": ")), 400, "body",
                "not valid JSON");
        assertProblem(call(post("/connectors/nope/tags/setpoint/write", "{\"value\": 1}")), 404, "connection", "nope");
        // one JSON value, each field once: neither may pass for a write of whatever a reader keeps
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 12.5} xyz")), 400, "body",
                "not valid JSON");
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 1, \"value\": 1000}")), 400,
                "body", "Duplicate field 'value'");
        FakeHttp.Request latin1 = post("/connectors/press01/tags/setpoint/write", "{}");
        latin1.body = new byte[] {'{', '"', 'v', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
        assertProblem(call(latin1), 415, "body", "not UTF-8");
    }

    @Test
    void wrongTypesAndOversizedBodiesAreRefusedBeforeUse() throws Exception {
        FakeHttp.Request text = new FakeHttp.Request("POST", "/api/v1/connectors/press01/tags/setpoint/write")
                .user(Fakes.OPERATOR).header("Content-Type", "text/plain");
        text.body = "{\"value\": 1}".getBytes();
        assertProblem(call(text), 415, "Content-Type", "application/json");

        String big = "{\"value\": \"" + "x".repeat(2000) + "\"}";
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", big)), 413, "body", "limit of 1024");
        for (String other : new String[] {"application/merge-patch+json", "application/json; charset=iso-8859-1"}) {
            FakeHttp.Request r = post("/things/press01/shadow", "{\"state\":{}}").header("Content-Type", other);
            assertProblem(call(r), 415, "Content-Type", "application/json in UTF-8");
        }
        FakeHttp.Request fine = post("/connectors/press01/tags/setpoint/write", "{\"value\": 12}")
                .header("Content-Type", "application/json; charset=\"UTF-8\"");
        assertEquals(200, call(fine).status);
        assertProblem(call(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadow?version=abc")
                .user(Fakes.OPERATOR)), 400, "version", "");
        assertProblem(call(post("/connectors/press01/tags/nope/write", "{\"value\": 1}")), 404, "tag",
                "no tag named 'nope'");
        assertEquals(404, call(post("/connectors/nosuch/tags/x/write", "{\"value\": 1}")).status);
        // refused before the write gateway saw them, and still recorded and counted by it
        assertEquals(List.of("write press01/setpoint 415 rest", "write press01/setpoint 413 rest",
                "desired press01/ 415 rest", "desired press01/ 415 rest", "shadow-delete press01/ 400 rest",
                "write press01/nope 404 rest", "write nosuch/x 404 rest"),
                ((Fakes.Gateway) node.gateway).refusals);
    }

    @Test
    void aQueryStringThatDoesNotDecodeIsTheClientsMistakeAndARefusedWriteIsStillRecorded() throws Exception {
        FakeHttp.Request admin = new FakeHttp.Request("GET", "/api/v1/audit?thing=%zz").user(Fakes.ADMIN);
        assertProblem(call(admin), 400, "query", "the query string is not percent-encoded UTF-8: thing=%zz");
        assertProblem(call(get("/alarms?limit=%zz")), 400, "query", "not percent-encoded");
        assertProblem(call(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadow?version=%zz")
                .user(Fakes.OPERATOR)), 400, "query", "not percent-encoded");
        // decoded as the container does where it can
        assertProblem(call(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadow?version=%61")
                .user(Fakes.OPERATOR)), 400, "version", "version: 'a' is not a whole number");
        assertEquals(List.of("shadow-delete press01/ 400 rest", "shadow-delete press01/ 400 rest"),
                ((Fakes.Gateway) node.gateway).refusals);
    }

    @Test
    void aSettingThatDoesNotConvertHasItsDefaultAndTheServletStillStarts() throws Exception {
        WebConfig typo = org.fogwerk.testing.Configs.typed(WebConfig.class, java.util.Map.of("body.limit", "lots"));
        ApiServlet lenient = new ApiServlet(node, typo);
        FakeHttp.Response response = new FakeHttp.Response();
        // 2,000 bytes: over the 1,024 of this test's servlet, within the default 65,536
        lenient.service(post("/connectors/press01/tags/setpoint/write", "{\"value\": 12" + " ".repeat(2000) + "}")
                .servlet("/api/v1").build(), response.build());
        assertEquals(200, response.status, response.text());
    }

    @Test
    void shadowsTakeConditionalRequestsWithTheirVersionAsEntityTag() throws Exception {
        assertEquals(200, call(post("/things/press01/shadow", "{\"state\":{\"desired\":{\"speed\":5}}}")).status);
        FakeHttp.Response got = call(get("/things/press01/shadow"));
        assertEquals("\"1\"", got.header("ETag"));
        FakeHttp.Response same = call(get("/things/press01/shadow").header("If-None-Match", "\"1\""));
        assertEquals(304, same.status);
        assertEquals("", same.text());

        // a change made meanwhile by someone else: the stale If-Match is refused, nothing changes
        assertEquals(200, call(post("/things/press01/shadow", "{\"state\":{\"desired\":{\"speed\":6}}}")).status);
        FakeHttp.Response stale = call(post("/things/press01/shadow", "{\"state\":{\"desired\":{\"speed\":7}}}")
                .header("If-Match", "\"1\""));
        assertProblem(stale, 412, "If-Match", "the shadow is at version \"2\"");
        assertEquals("\"2\"", call(get("/things/press01/shadow")).header("ETag"), "nothing changed");
        assertEquals(200, call(post("/things/press01/shadow", "{\"state\":{\"desired\":{\"speed\":7}}}")
                .header("If-Match", "\"2\"")).status);
        assertProblem(call(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadow").user(Fakes.OPERATOR)
                .header("If-Match", "\"2\"")), 412, "If-Match", "at version \"3\"");
        assertProblem(call(post("/things/press01/shadows/recipe", "{\"state\":{}}").header("If-Match", "*")), 412,
                "If-Match", "the shadow is not there");
        // refused before the gateway, and still on record
        assertTrue(((Fakes.Gateway) node.gateway).refusals.contains("shadow-delete press01/ 412 rest"),
                ((Fakes.Gateway) node.gateway).refusals.toString());
    }

    @Test
    void withoutTheGatewayWritesAre503() throws Exception {
        node.gateway = null;
        assertProblem(call(post("/connectors/press01/tags/setpoint/write", "{\"value\": 1}")), 503, null,
                "write gateway not available");
        assertProblem(call(post("/things/press01/shadow", "{\"state\":{}}")), 503, null, "write gateway not available");
    }

    @Test
    void shadowsKeepTheStoreSemanticsAndCodes() throws Exception {
        assertProblem(call(get("/things/press01/shadow")), 404, null, "No shadow exists");
        FakeHttp.Response updated = call(post("/things/press01/shadow", "{\"state\":{\"desired\":{\"speed\":5}}}"));
        assertEquals(200, updated.status, updated.text());
        assertEquals(1, updated.json().get("version").asLong());
        JsonNode doc = call(get("/things/press01/shadow")).json();
        assertEquals(5, doc.get("state").get("delta").get("speed").asInt());
        assertProblem(call(post("/things/press01/shadow", "{\"state\":{},\"version\":7}")), 409, "version", "Version conflict");

        call(post("/things/press01/shadows/energy", "{\"state\":{\"reported\":{\"kwh\":1}}}"));
        assertEquals(1, call(get("/things/press01/shadows/energy")).json().get("version").asLong());

        // a refusal names the field at fault, as the gateway and the store word it
        assertEquals("state.desired.spindle.speed", ApiServlet.shadowField(new ShadowException(400,
                "desired.spindle.speed: tag speed: 9000 is above the maximum 3000.0", null)));
        assertEquals("state.reported", ApiServlet.shadowField(new ShadowException(403,
                "reported: the reported state of thing 'p' holds what its machines read", null)));
        assertEquals("body", ApiServlet.shadowField(new ShadowException(400,
                "Invalid JSON: the text ends too early at line 1, column 30", null)));
        assertEquals("version", ApiServlet.shadowField(new ShadowException(409, "Version conflict", null)));

        FakeHttp.Response deleted = call(new FakeHttp.Request("DELETE", "/api/v1/things/press01/shadow").user(Fakes.OPERATOR));
        assertEquals(200, deleted.status, deleted.text());
        assertProblem(call(get("/things/press01/shadow")), 404, null, "No shadow exists");
    }

    @Test
    void uplinksShowTheirOutboxAndFlush() throws Exception {
        JsonNode u = call(get("/uplinks/cloud")).json();
        assertEquals(12, u.get("outboxMessages").asLong());
        assertEquals(2.5, u.get("oldestUnsentSeconds").asDouble());
        FakeHttp.Response flushed = call(new FakeHttp.Request("POST", "/api/v1/uplinks/cloud/flush").user(Fakes.OPERATOR));
        assertEquals(200, flushed.status);
        assertEquals(1, ((Fakes.FakeUplink) node.uplinks.get(0)).flushes);
        assertProblem(call(get("/uplinks/nope")), 404, "uplink", "no uplink named 'nope'");
    }

    @Test
    void routesNeedTheCatalogAndShowFileAndLine() throws Exception {
        assertProblem(call(get("/routes")), 503, null, "route catalog");
        node.routes = () -> List.of(new RouteInfo("-", "etc/routes/bad.xml:7", RouteInfo.FAILED, 0, 0, 0,
                "etc/routes/bad.xml:7: unknown endpoint"));
        JsonNode r = call(get("/routes")).json().get(0);
        assertEquals("Failed", r.get("state").asText());
        assertEquals("etc/routes/bad.xml:7: unknown endpoint", r.get("lastError").asText());
        RouteCatalog unused = node.routes;
        assertTrue(unused.routes().get(0).failed());
    }

    @Test
    void alarmsComeNewestFirstWithThingLevelValueAndTime() throws Exception {
        assertProblem(call(get("/alarms")), 503, null, "alarm log");
        Fakes.Alarms alarms = new Fakes.Alarms();
        node.alarms = alarms;
        node.things = Things.fedBy("oven1", "oven-line-1");
        assertEquals(0, call(get("/alarms")).json().size());
        alarms.raise("press-1", "press01", "temperature", "HIGH", 91.5);
        alarms.raise("", "oven1", "temperature", "LOW", -85.0);
        alarms.raise("press-1", "press01", "temperature", "NORMAL", 74.0);

        JsonNode list = call(get("/alarms")).json();
        assertEquals(3, list.size());
        JsonNode newest = list.get(0);
        assertEquals(3, newest.get("sequence").asLong());
        assertEquals("NORMAL", newest.get("level").asText());
        assertEquals("HIGH", newest.get("previous").asText());
        assertEquals("CLEAR", newest.get("event").asText());
        assertEquals("press-1", newest.get("thing").asText());
        assertEquals("temperature_alarm", newest.get("alarmTag").asText());
        assertEquals(74.0, newest.get("value").asDouble());
        assertEquals("1970-01-01T00:00:03Z", newest.get("time").asText());
        // an event whose route did not know the thing names the thing its tag feeds
        assertEquals("oven-line-1", list.get(1).get("thing").asText());
        assertEquals("RAISE", list.get(1).get("event").asText());

        assertEquals(1, call(get("/alarms?limit=1")).json().size());
        assertEquals(1, call(get("/alarms?thing=oven-*")).json().size());
        assertEquals(2, call(get("/alarms?connection=press01&tag=temperature_alarm")).json().size());
        assertProblem(call(get("/alarms?limit=100000")), 400, "limit", "outside 0..1000");
        assertProblem(call(new FakeHttp.Request("DELETE", "/api/v1/alarms").user(Fakes.OPERATOR)), 405, null, "DELETE");
    }

    @Test
    void unknownResourcesAndMethodsAreProblems() throws Exception {
        assertProblem(call(get("/nothing")), 404, null, "no resource 'nothing'");
        FakeHttp.Response put = call(new FakeHttp.Request("PUT", "/api/v1/connectors").user(Fakes.OPERATOR));
        assertProblem(put, 405, null, "PUT");
        assertEquals("GET, HEAD, OPTIONS", put.header("Allow"));
        FakeHttp.Response options = call(new FakeHttp.Request("OPTIONS", "/api/v1/connectors").user(Fakes.VIEWER));
        assertEquals(204, options.status, options.text());
        assertEquals("GET, HEAD, OPTIONS", options.header("Allow"));
        FakeHttp.Response head = call(new FakeHttp.Request("HEAD", "/api/v1/things/press01/shadow").user(Fakes.VIEWER));
        assertEquals(404, head.status, "HEAD answers as GET does: no shadow yet");
        FakeHttp.Response patch = call(new FakeHttp.Request("PATCH", "/api/v1/things/press01/shadow").user(Fakes.OPERATOR));
        assertProblem(patch, 405, null, "PATCH");
        assertEquals("GET, HEAD, POST, DELETE, OPTIONS", patch.header("Allow"));
        assertProblem(call(get("/audit?limit=x")), 400, "limit", "not a whole number");
        node.things = (org.fogwerk.api.registry.ThingRegistry) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.fogwerk.api.registry.ThingRegistry.class},
                (proxy, method, args) -> java.util.Optional.empty());
        assertProblem(call(get("/things/nope/shadows")), 404, "thing", "no thing named 'nope'");
    }

    @Test
    void theOpenApiDocumentIsServed() throws Exception {
        FakeHttp.Response r = call(get("/openapi.json"));
        assertEquals(200, r.status);
        JsonNode doc = r.json();
        assertTrue(doc.get("openapi").asText().startsWith("3."));
        assertTrue(doc.get("paths").has("/connectors/{id}/tags/{tag}/write"));
        assertTrue(doc.get("paths").has("/alarms"));
        assertTrue(doc.at("/components/schemas/AlarmEvent/properties").has("level"));
    }
}
