package org.fogwerk.web.internal;

import static org.fogwerk.web.internal.WebConstants.parameter;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.alarm.AlarmEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The REST API {@code /api/v1}: one resource per concept, the shell's verbs as HTTP verbs.
 * Reads go to the node's services, writes through the write gateway as source {@code rest}
 * with the logged-in user as identity. Every error is a problem document.
 */
@Component(service = Servlet.class, configurationPid = WebConstants.PID, property = {
    "osgi.http.whiteboard.servlet.pattern=/api/v1/*",
    "osgi.http.whiteboard.servlet.name=fogwerk-api"})
public final class ApiServlet extends GuardedServlet {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    /** The most alarm events one request looks at and returns. */
    private static final int ALARMS_KEPT = 1000;

    private final transient Node node;
    private final transient ObjectMapper mapper = new ObjectMapper();
    private final transient JsonBodies bodies;
    private final int flushTimeoutSeconds;

    @Activate
    public ApiServlet(@Reference Node node, WebConfig config) {
        this(node, (config = LenientConfig.of(WebConfig.class, config, WebConstants.FILE)).body_limit(),
                config.flush_timeout());
    }

    public ApiServlet(Node node, int bodyLimit, int flushTimeoutSeconds) {
        this.node = node;
        this.bodies = new JsonBodies(mapper, bodyLimit);
        this.flushTimeoutSeconds = flushTimeoutSeconds;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        List<String> p = segments(path);
        try {
            Object body = route(request, response, request.getMethod(), p);
            if (body != null) {
                writeJson(response, 200, body);
            }
        } catch (ApiException e) {
            if (e.allow() != null) {
                response.setHeader("Allow", e.allow());
                if ("OPTIONS".equals(request.getMethod())) {
                    // no resource takes OPTIONS as a request: its refusal names what the resource has
                    response.setStatus(204);
                    return;
                }
            }
            Problems.write(request, response, e);
        } catch (RuntimeException e) {
            // a bug or a service that failed: said without its stack trace, logged with it
            LOG.warn("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            Problems.write(request, response, 500, "the node could not answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
        }
    }

    /** Answers a request: returns the body of a 200, or null when the response was written. */
    private Object route(HttpServletRequest rq, HttpServletResponse rs, String method, List<String> p)
            throws ApiException, IOException {
        int n = p.size();
        if (n == 0) {
            throw ApiException.notFound("no resource at " + rq.getRequestURI() + "; see /api/v1/openapi.json");
        }
        switch (p.get(0)) {
            case "openapi.json":
                allow(method, n == 1, "GET");
                writeResource(rs, "openapi.json", "application/json");
                return null;
            case "connectors":
                return connectors(rq, rs, method, p);
            case "things":
                return things(rq, rs, method, p);
            case "uplinks":
                return uplinks(method, p);
            case "routes":
                allow(method, n == 1, "GET");
                return views(node.require(Node.ROUTES).routes(), Views::route);
            case "alarms":
                allow(method, n == 1, "GET");
                return alarms(rq);
            case "simulators":
                return simulators(method, p);
            case "audit":
                allow(method, n == 1, "GET");
                return audit(rq);
            default:
                throw ApiException.notFound("no resource '" + p.get(0) + "' in /api/v1; see /api/v1/openapi.json");
        }
    }

    // --- connectors and tags

    private Object connectors(HttpServletRequest rq, HttpServletResponse rs, String method, List<String> p)
            throws ApiException, IOException {
        ConnectorRegistry registry = node.require(Node.CONNECTORS);
        try {
            return collection(method, p, registry::connectors, registry::connector, Views::connector, "connection",
                    info -> belowConnector(rq, rs, method, p, registry));
        } catch (ApiException e) {
            if (e.status() == 404 && p.size() > 1 && registry.connector(p.get(1)).isEmpty()) {
                // a write to a connection that is not there: recorded and counted as every refused write
                WebUser user = user(rq);
                WriteRequest.of(method, p).ifPresent(w -> w.refused(node.gateway, user.caller(), e));
            }
            throw e;
        }
    }

    /** {@code /connectors/<id>/...}, of a connection that is there. */
    private Object belowConnector(HttpServletRequest rq, HttpServletResponse rs, String method, List<String> p,
            ConnectorRegistry registry) throws ApiException, IOException {
        int n = p.size();
        String id = p.get(1);
        switch (p.get(2)) {
            case "tags":
                return tags(rq, rs, method, p, registry, id);
            case "browse": {
                allow(method, n == 3, "GET");
                String nodeId = parameter(rq, "node");
                List<BrowseNode> nodes = await(registry.browse(id, nodeId == null || nodeId.isBlank() ? null : nodeId),
                        WRITE_TIMEOUT_SECONDS, "browse of " + id, "node");
                return views(nodes, Views::browse);
            }
            default:
                throw ApiException.notFound("no resource '" + p.get(2) + "' of a connection (tags, browse)");
        }
    }

    private Object tags(HttpServletRequest rq, HttpServletResponse rs, String method, List<String> p,
            ConnectorRegistry registry, String id)
            throws ApiException, IOException {
        int n = p.size();
        List<TagDefinition> definitions = registry.tags(id);
        if (n == 3) {
            allow(method, true, "GET");
            Map<String, TagValue> latest = new HashMap<>();
            for (TagValue v : node.require(Node.BUS).latest(id)) {
                latest.put(v.tag(), v);
            }
            TagJson json = new TagJson();
            try (JsonGenerator g = startJson(rs)) {
                g.writeStartArray();
                for (TagDefinition d : definitions) {
                    json.tag(g, d.name(), d, latest.remove(d.name()));
                }
                // values of tags that are no longer configured still show, as the bus has them
                for (TagValue v : latest.values()) {
                    json.tag(g, v.tag(), null, v);
                }
                g.writeEndArray();
            }
            return null;
        }
        String tag = p.get(3);
        TagDefinition definition = definitions.stream().filter(d -> d.name().equals(tag)).findFirst().orElse(null);
        Optional<TagValue> latest = node.require(Node.BUS).latest(id, tag);
        if (definition == null && latest.isEmpty()) {
            ApiException unknown = new ApiException(404, "connection '" + id + "' has no tag named '" + tag + "'", "tag");
            if (n == 5 && p.get(4).equals("write") && "POST".equals(method)) {
                // a write to a tag that is not there is refused, and recorded and counted as every refused write
                beforeGateway(rq, p, () -> {
                    throw unknown;
                });
            }
            throw unknown;
        }
        if (n == 4 || n == 5 && p.get(4).equals("read")) {
            allow(method, true, "GET");
            TagValue value = n == 4 ? latest.orElse(null)
                    : await(registry.read(id, tag), WRITE_TIMEOUT_SECONDS, "read of " + id + "/" + tag, "tag");
            try (JsonGenerator g = startJson(rs)) {
                new TagJson().tag(g, tag, definition, value);
            }
            return null;
        }
        if (n == 5 && p.get(4).equals("write")) {
            allow(method, true, "POST");
            Object v = beforeGateway(rq, p, () -> JsonBodies.writtenValue(bodies.object(rq)));
            WebUser user = user(rq);
            WriteResult result = await(node.require(Node.GATEWAY).write(user.caller(), id, tag, v),
                    WRITE_TIMEOUT_SECONDS, "write of " + id + "/" + tag, "value");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connection", id);
            m.put("tag", tag);
            m.put("outcome", result.outcome().name());
            m.put("reason", result.reason());
            switch (result.outcome()) {
                case DONE:
                    return m;
                case DENIED:
                    throw new ApiException(403, "write denied: " + result.reason(), "value");
                case REFUSED:
                    throw new ApiException(400, "write refused: " + result.reason(), "value");
                default:
                    if (result.reason().contains("Bad_Timeout") || result.reason().contains("did not answer within")) {
                        throw new ApiException(504, "the machine did not answer the write in time: it may have been"
                                + " carried out or not (read the tag): " + result.reason(), "value");
                    }
                    throw new ApiException(502, "the write failed on the way to the machine or on it: "
                            + result.reason(), "value");
            }
        }
        throw ApiException.notFound("no resource '" + String.join("/", p.subList(4, n)) + "' of a tag (read, write)");
    }

    /** What a write request needs before the write gateway sees it. */
    private interface Read<T> {
        T get() throws ApiException, IOException;
    }

    /**
     * Reads what a write request brings (its body, its parameters); a request refused here, before
     * the write gateway could check it, is still recorded and counted by the gateway.
     */
    private <T> T beforeGateway(HttpServletRequest rq, List<String> p, Read<T> read) throws ApiException, IOException {
        try {
            return read.get();
        } catch (ApiException e) {
            WebUser user = user(rq);
            WriteRequest.of(rq.getMethod(), p).ifPresent(w -> w.refused(node.gateway, user.caller(), e));
            throw e;
        }
    }

    // --- things and shadows

    private Object things(HttpServletRequest rq, HttpServletResponse rs, String method, List<String> p)
            throws ApiException, IOException {
        int n = p.size();
        if (n == 1) {
            allow(method, true, "GET");
            return views(node.require(Node.THINGS).things(), t -> Views.thing(t, null));
        }
        String thing = p.get(1);
        if (n == 2) {
            allow(method, true, "GET");
            Optional<Thing> t = node.require(Node.THINGS).thing(thing);
            List<String> shadows = node.require(Node.SHADOWS).shadows(thing);
            if (t.isEmpty() && shadows.isEmpty()) {
                throw new ApiException(404, "no thing named '" + thing + "'", "thing");
            }
            return Views.thing(t.orElse(new Thing(thing, "", Map.of(), "", List.of(), false, "")), shadows);
        }
        String shadow;
        if (n == 3 && p.get(2).equals("shadow")) {
            shadow = ShadowStore.CLASSIC;
        } else if (n == 3 && p.get(2).equals("shadows")) {
            allow(method, true, "GET");
            List<String> shadows = node.require(Node.SHADOWS).shadows(thing);
            if (shadows.isEmpty() && node.require(Node.THINGS).thing(thing).isEmpty()) {
                throw new ApiException(404, "no thing named '" + thing + "'", "thing");
            }
            return shadows;
        } else if (n == 4 && p.get(2).equals("shadows")) {
            shadow = p.get(3);
        } else {
            throw ApiException.notFound("no resource '" + String.join("/", p.subList(2, n))
                    + "' of a thing (shadow, shadows, shadows/{name})");
        }
        try {
            switch (method) {
                case "GET":
                case "HEAD": {
                    ShadowDocument doc = node.require(Node.SHADOWS).get(thing, shadow);
                    return Preconditions.notModified(rq, rs, doc.version()) ? null : Views.shadow(doc);
                }
                case "POST": {
                    byte[] request = beforeGateway(rq, p, () -> {
                        Preconditions.check(rq, versionOf(thing, shadow));
                        return bodies.raw(rq);
                    });
                    byte[] accepted = node.require(Node.GATEWAY).updateShadow(user(rq).caller(), thing, shadow,
                            request);
                    Responses.send(rs, 200, Responses.JSON, accepted);
                    return null;
                }
                case "DELETE": {
                    Long expected = beforeGateway(rq, p, () -> {
                        Preconditions.check(rq, versionOf(thing, shadow));
                        return longParameter(rq, "version");
                    });
                    long version = node.require(Node.GATEWAY).deleteShadow(user(rq).caller(), thing, shadow, expected,
                            parameter(rq, "clientToken"));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("thing", thing);
                    m.put("shadow", shadow);
                    m.put("version", version);
                    m.put("timestamp", Instant.now().getEpochSecond());
                    return m;
                }
                default:
                    throw ApiException.methodNotAllowed(method, "GET, HEAD, POST, DELETE");
            }
        } catch (ShadowException e) {
            throw new ApiException(e.code(), e.getMessage(), shadowField(e));
        }
    }

    /** The shadow's version, null when it does not exist. */
    private Long versionOf(String thing, String shadow) throws ApiException {
        try {
            return node.require(Node.SHADOWS).get(thing, shadow).version();
        } catch (ShadowException e) {
            return null;
        }
    }

    private static final Pattern STATE_FIELD = Pattern.compile("^((?:desired|reported)(?:\\.[^:\\s]+)?):");

    /** The field of a shadow request at fault, as far as the refusal names it. */
    static String shadowField(ShadowException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        Matcher field = STATE_FIELD.matcher(m);
        if (e.code() == 409) {
            return "version";
        }
        if (field.find()) {
            return "state." + field.group(1);
        }
        return m.startsWith("Invalid JSON") ? "body" : null;
    }

    // --- uplinks

    private Object uplinks(String method, List<String> p) throws ApiException, IOException {
        return collection(method, p, node::uplinks, node::uplink, Views::uplink, "uplink",
                uplink -> belowUplink(method, p, uplink));
    }

    /** {@code /uplinks/<name>/...}, of an uplink that is there. */
    private Object belowUplink(String method, List<String> p, Uplink uplink) throws ApiException {
        int n = p.size();
        String name = p.get(1);
        if (n == 3 && p.get(2).equals("flush")) {
            allow(method, true, "POST");
            await(uplink.flush(), flushTimeoutSeconds, "flush of uplink " + name, "uplink");
            return Views.uplink(uplink);
        }
        throw ApiException.notFound("no resource '" + String.join("/", p.subList(2, n)) + "' of an uplink (flush)");
    }

    // --- alarms, simulators and audit

    /** The newest alarm events of the routes, newest first, filtered like the event stream. */
    private Object alarms(HttpServletRequest rq) throws ApiException {
        Long limit = longParameter(rq, "limit");
        if (limit != null && (limit < 0 || limit > ALARMS_KEPT)) {
            throw ApiException.badRequest("limit: " + limit + " is outside 0.." + ALARMS_KEPT, "limit");
        }
        int wanted = limit == null ? 50 : limit.intValue();
        EventHub.Subscription filter = EventHub.Subscription.of(rq);
        List<Object> list = new ArrayList<>();
        for (AlarmEvent e : node.require(Node.ALARMS).recent(ALARMS_KEPT)) {
            if (list.size() >= wanted) {
                break;
            }
            String thing = e.thing().isEmpty() ? node.thingOf(e.connection(), e.tag()) : e.thing();
            if (filter.wants(e, thing)) {
                list.add(Views.alarm(e, thing));
            }
        }
        return list;
    }

    private Object simulators(String method, List<String> p) throws ApiException {
        allow(method, true, "GET");
        List<Simulator> simulators = node.simulators();
        if (p.size() == 1) {
            return views(simulators, s -> Views.simulator(s, false));
        }
        String protocol = p.get(1);
        if (p.size() == 2) {
            for (Simulator s : simulators) {
                if (s.status().protocol().equals(protocol)) {
                    return Views.simulator(s, true);
                }
            }
            throw new ApiException(404, "no simulator of protocol '" + protocol + "' is configured", "protocol");
        }
        throw ApiException.notFound("no resource below a simulator");
    }

    private Object audit(HttpServletRequest rq) throws ApiException {
        Instant since = null;
        String s = parameter(rq, "since");
        if (s != null && !s.isBlank()) {
            try {
                since = Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("since: '" + s + "' is not an ISO-8601 instant such as 2026-12-06T05:00:00Z",
                        "since");
            }
        }
        Long limit = longParameter(rq, "limit");
        if (limit != null && (limit < 0 || limit > 100_000)) {
            throw ApiException.badRequest("limit: " + limit + " is outside 0..100000", "limit");
        }
        AuditQuery query = new AuditQuery(since, parameter(rq, "thing"), parameter(rq, "source"),
                parameter(rq, "identity"), parameter(rq, "kind"), limit == null ? 100 : limit.intValue());
        return views(node.require(Node.AUDIT).query(query), Views::audit);
    }

    // --- request and response helpers

    /** What a resource below an item of a collection answers, given the item. */
    private interface Below<T> {
        Object answer(T item) throws ApiException, IOException;
    }

    /**
     * A collection whose items have names: {@code GET /<collection>} lists their views,
     * {@code GET /<collection>/<name>} is one item's view (404 when no {@code what} has that
     * name), and a path below an item goes to {@code below}.
     */
    private static <T> Object collection(String method, List<String> p, Supplier<? extends Iterable<T>> all,
            Function<String, Optional<T>> find, Function<? super T, ?> view, String what, Below<T> below)
            throws ApiException, IOException {
        if (p.size() == 1) {
            allow(method, true, "GET");
            return views(all.get(), view);
        }
        String name = p.get(1);
        T item = find.apply(name)
                .orElseThrow(() -> new ApiException(404, "no " + what + " named '" + name + "'", what));
        if (p.size() == 2) {
            allow(method, true, "GET");
            return view.apply(item);
        }
        return below.answer(item);
    }

    /** Each of {@code items} as its view, for a list resource. */
    private static <T> List<Object> views(Iterable<T> items, Function<? super T, ?> view) {
        List<Object> list = new ArrayList<>();
        for (T item : items) {
            list.add(view.apply(item));
        }
        return list;
    }

    private static void allow(String method, boolean pathKnown, String allowed) throws ApiException {
        if (!pathKnown) {
            throw ApiException.notFound("no such resource");
        }
        for (String a : allowed.split(",\\s*")) {
            if (a.equals(method) || ("HEAD".equals(method) && a.equals("GET"))) {
                return;
            }
        }
        throw ApiException.methodNotAllowed(method, allowed);
    }

    private static WebUser user(HttpServletRequest rq) throws ApiException {
        Object user = rq.getAttribute(AuthFilter.USER_ATTRIBUTE);
        if (!(user instanceof WebUser)) {
            throw new ApiException(401, "authentication required");
        }
        return (WebUser) user;
    }

    private static Long longParameter(HttpServletRequest rq, String name) throws ApiException {
        String s = parameter(rq, name);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": '" + s + "' is not a whole number", name);
        }
    }

    private static <T> T await(CompletionStage<T> stage, long seconds, String what, String field) throws ApiException {
        try {
            return stage.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, what + " was interrupted");
        } catch (TimeoutException e) {
            throw new ApiException(504, what + " did not finish within " + seconds + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof UnsupportedOperationException) {
                // a bad argument, or asked of a connection that cannot do it (browse a Modbus one)
                throw ApiException.badRequest(cause.getMessage(), field);
            }
            throw new ApiException(502, what + " failed: " + cause.getMessage(), field);
        }
    }

    /** A 200 JSON answer written as it is made; the stream is the response's. */
    private JsonGenerator startJson(HttpServletResponse rs) throws IOException {
        rs.setStatus(200);
        rs.setContentType(Responses.JSON);
        rs.setCharacterEncoding("UTF-8");
        rs.setHeader("Cache-Control", "no-store");
        return mapper.getFactory().createGenerator(rs.getOutputStream());
    }

    private void writeJson(HttpServletResponse rs, int status, Object body) throws IOException {
        Responses.send(rs, status, Responses.JSON, mapper.writeValueAsBytes(body));
    }

    private void writeResource(HttpServletResponse rs, String name, String type) throws IOException, ApiException {
        try (InputStream in = ApiServlet.class.getResourceAsStream(name)) {
            if (in == null) {
                throw ApiException.notFound(name + " is missing from the bundle");
            }
            Responses.send(rs, 200, type, in.readAllBytes());
        }
    }

    static List<String> segments(String path) {
        List<String> list = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                list.add(s);
            }
        }
        return list;
    }
}
