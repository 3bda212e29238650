package org.fogwerk.web.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.routes.RouteInfo;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code /health/live}: the container answers. {@code /health/ready}: the connector registry and
 * the shadow store are started, and no connection, uplink or route file is FAILED; 200 or 503,
 * with each component's state and reason. Answers without authentication, for load balancers
 * and supervisors; it names components and reasons, never values or secrets.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/health/*",
    "osgi.http.whiteboard.servlet.name=fogwerk-health"})
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Node node;
    private final transient ObjectMapper mapper = new ObjectMapper();

    @Activate
    public HealthServlet(@Reference Node node) {
        this.node = node;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        switch (path) {
            case "/live":
                body.put("status", "UP");
                status = 200;
                break;
            case "/ready": {
                List<Map<String, Object>> components = readiness();
                boolean up = components.stream().allMatch(c -> "UP".equals(c.get("status")));
                body.put("status", up ? "UP" : "DOWN");
                body.put("components", components);
                status = up ? 200 : 503;
                break;
            }
            default:
                Problems.write(request, response, 404, "no health check '" + path + "' (/health/live, /health/ready)",
                        null);
                return;
        }
        Responses.send(response, status, Responses.JSON, mapper.writeValueAsBytes(body));
    }

    List<Map<String, Object>> readiness() {
        List<Map<String, Object>> list = new ArrayList<>();
        ConnectorRegistry registry = node.connectorsIfAny().orElse(null);
        if (registry == null) {
            list.add(component("connectors", "connector-registry", false, "ABSENT", "the connector registry is not started"));
        } else {
            for (ConnectorInfo c : registry.connectors()) {
                ConnectorState s = c.status().state();
                list.add(component("connector", c.id(), s != ConnectorState.FAILED, s.name(), c.status().reason()));
            }
        }
        for (Uplink u : node.uplinks()) {
            UplinkStatus s = u.status();
            list.add(component("uplink", u.name(), s.state() != UplinkState.FAILED, s.state().name(), s.lastError()));
        }
        node.routesIfAny().ifPresent(catalog -> {
            for (RouteInfo r : catalog.routes()) {
                list.add(component("route", r.routeId().equals("-") ? r.origin() : r.routeId() + " (" + r.origin() + ")",
                        !r.failed(), r.state(), r.lastError()));
            }
        });
        boolean shadows = node.shadowsIfAny().isPresent();
        list.add(component("shadow-store", "shadow-store", shadows, shadows ? "STARTED" : "ABSENT",
                shadows ? "" : "the shadow store is not started"));
        return list;
    }

    private static Map<String, Object> component(String kind, String name, boolean up, String state, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("name", name);
        m.put("status", up ? "UP" : "DOWN");
        m.put("state", state);
        m.put("reason", reason == null ? "" : reason);
        return m;
    }
}
