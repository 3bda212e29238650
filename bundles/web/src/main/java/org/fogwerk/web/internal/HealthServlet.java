package org.fogwerk.web.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.routes.RouteInfo;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code /health/live}: the container answers. {@code /health/ready}: the connector registry,
 * the shadow store and the write gateway are started, every configured connection and uplink runs, and no connection,
 * uplink or route file is FAILED; 200 or 503,
 * with each component's state and reason. Answers without authentication, for load balancers
 * and supervisors; it names components and reasons, never values or secrets.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/health/*",
    "osgi.http.whiteboard.servlet.name=fogwerk-health"})
public final class HealthServlet extends ReadOnlyServlet {

    private static final long serialVersionUID = 1L;

    static final String CONNECTOR_PIDS = "org.fogwerk.connector.";
    static final String UPLINK_PIDS = "org.fogwerk.uplink.";

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
        ConnectorRegistry registry = node.ifAny(Node.CONNECTORS).orElse(null);
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
            // waiting for its profile's feature, an uplink sends nothing: down, as a connection file
            // whose protocol's feature is not installed
            list.add(component("uplink", u.name(), s.state() != UplinkState.FAILED && s.state() != UplinkState.WAITING,
                    s.state().name(), s.lastError()));
        }
        node.ifAny(Node.ROUTES).ifPresent(catalog -> {
            for (RouteInfo r : catalog.routes()) {
                list.add(component("route", r.routeId().equals("-") ? r.origin() : r.routeId() + " (" + r.origin() + ")",
                        !r.failed(), r.state(), r.lastError()));
            }
        });
        notRunning(list, registry);
        boolean shadows = node.ifAny(Node.SHADOWS).isPresent();
        list.add(component("shadow-store", "shadow-store", shadows, shadows ? "STARTED" : "ABSENT",
                shadows ? "" : "the shadow store is not started"));
        // every write, method call and shadow update goes through it: without it the node only reads
        boolean gateway = node.gateway != null;
        list.add(component("write-gateway", "write-gateway", gateway, gateway ? "STARTED" : "ABSENT",
                gateway ? "" : "the write gateway is not started: no write, call or shadow update is taken"));
        return list;
    }

    /**
     * Connection and uplink files whose instance is not running at all: not yet started, or its
     * protocol's feature is not installed. A running instance with a bad file is FAILED above.
     */
    private void notRunning(List<Map<String, Object>> list, ConnectorRegistry registry) {
        ConfigurationAdmin admin = node.configurations;
        if (admin == null) {
            return;
        }
        Configuration[] configurations;
        try {
            configurations = admin.listConfigurations("(|(service.factoryPid=" + CONNECTOR_PIDS + "*)(service.factoryPid="
                    + UPLINK_PIDS + "*))");
        } catch (IOException | InvalidSyntaxException e) {
            list.add(component("configuration", "configuration-admin", false, "UNREADABLE", e.getMessage()));
            return;
        }
        if (configurations == null) {
            return;
        }
        Set<String> uplinks = new HashSet<>();
        node.uplinks().forEach(u -> uplinks.add(u.name()));
        for (Configuration c : configurations) {
            Map<String, Object> props = properties(c.getProperties());
            String id = instanceId(props);
            boolean connector = c.getFactoryPid().startsWith(CONNECTOR_PIDS);
            boolean running = connector ? registry != null && registry.connector(id).isPresent() : uplinks.contains(id);
            if (!running) {
                Object file = props.get(ConfigurationNames.FILE_PROPERTY);
                list.add(component(connector ? "connector" : "uplink", id, false, "NOT_RUNNING",
                        "configured (" + (file == null ? c.getPid() : file) + ") but not running; is the feature of "
                                + c.getFactoryPid() + " installed?"));
            }
        }
    }

    /** The id an instance runs under: its {@code name} key, else the name of its file or PID. */
    static String instanceId(Map<String, Object> props) {
        Object name = props.get("name");
        if (name != null && !name.toString().isBlank()) {
            return name.toString().strip();
        }
        return ConfigurationNames.instanceName(props).orElse("");
    }

    private static Map<String, Object> properties(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        if (d != null) {
            for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                m.put(k, d.get(k));
            }
        }
        return m;
    }

    private static Map<String, Object> component(String kind, String name, boolean up, String state, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("name", name);
        m.put("status", up ? "UP" : "DOWN");
        m.put("state", state);
        m.put("reason", reason == null ? "" : withoutHome(reason, System.getProperty("karaf.base")));
        return m;
    }

    /**
     * The reason with the node's folder left out ({@code /opt/fogwerk/etc/x.cfg} becomes {@code
     * etc/x.cfg}): the answer needs no login, and where the node is installed is not its business.
     */
    static String withoutHome(String reason, String home) {
        if (home == null || home.isEmpty()) {
            return reason;
        }
        String prefix = home.endsWith("/") ? home : home + "/";
        return reason.replace(prefix, "");
    }
}
