package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.routes.RouteInfo;
import org.fogwerk.web.testing.PrometheusText;
import org.fogwerk.api.uplink.UplinkState;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class MetricsAndHealthTest {

    private final Node node = Fakes.node();

    @Test
    void metricsAreValidPrometheusTextWithTheNodesCounters() throws Exception {
        ((Fakes.Bus) node.bus).listeners.put("org.fogwerk.uplink.local", new Counters(500, 480, 5, 0));
        ConnectorInfo press = node.connectors.connector("press01").orElseThrow();
        ((Fakes.Registry) node.connectors).infos.put("press01", new ConnectorInfo(press.id(), press.protocol(),
                press.status(), press.tagCount(), press.valuesIn(), press.valuesDropped(), press.valuesPerSecond(),
                Map.of("uplink-cloud", 6L)));
        node.reported = new ReportedState() {
            @Override public long writes() { return 120; }
            @Override public long failedWrites() { return 8; }
            @Override public List<Failure> failing() {
                return List.of(new Failure("press01", "tags-2", 413, "state is 9000 bytes", Instant.EPOCH, 8));
            }
        };
        node.routes = () -> List.of(new RouteInfo("alarms", "etc/routes/alarms.xml:3", "Started", 40, 2, 1, ""),
                new RouteInfo("-", "fogwerk://edge/window?period=10s&stat=mean", "No reader", 0, 0, 3, ""));
        node.audit = new org.fogwerk.api.audit.AuditTrail() {
            @Override public java.util.concurrent.CompletionStage<org.fogwerk.api.audit.AuditEntry> append(
                    org.fogwerk.api.audit.AuditEvent event) {
                throw new UnsupportedOperationException();
            }
            @Override public List<org.fogwerk.api.audit.AuditEntry> query(org.fogwerk.api.audit.AuditQuery q) {
                return List.of();
            }
            @Override public org.fogwerk.api.audit.AuditVerification verify() {
                throw new UnsupportedOperationException();
            }
            @Override public long unwritten() { return 3; }
        };
        ShadowActivity shadows = new ShadowActivity();
        shadows.updates.add(9);
        EventHub hub = new EventHub(null, node, 10, 2);
        try {
            MetricsServlet servlet = new MetricsServlet(node, hub, shadows);
            FakeHttp.Response r = new FakeHttp.Response();
            servlet.doGet(new FakeHttp.Request("GET", "/metrics").build(), r.build());
            assertEquals(200, r.status);
            assertTrue(r.contentType.startsWith("text/plain; version=0.0.4"), r.contentType);
            Map<String, Double> m = PrometheusText.parse(r.text());

            assertEquals(42.0, m.get("fogwerk_connector_values_total{connection=\"press01\",}"), r.text());
            assertEquals(3.0, m.get("fogwerk_connector_dropped_total{connection=\"press01\",}"));
            assertEquals(2.0, m.get("fogwerk_connector_reconnects_total{connection=\"press01\",}"));
            assertEquals(6.0, m.get("fogwerk_connector_consumer_dropped_total{connection=\"press01\",consumer=\"uplink-cloud\",}"),
                    r.text());
            assertEquals(1.0, m.get("fogwerk_connector_state{connection=\"press01\",state=\"CONNECTED\",}"));
            assertEquals(0.0, m.get("fogwerk_connector_state{connection=\"press01\",state=\"FAILED\",}"));
            assertEquals(12.0, m.get("fogwerk_uplink_outbox_messages{uplink=\"cloud\",}"));
            assertEquals(4096.0, m.get("fogwerk_uplink_outbox_bytes{uplink=\"cloud\",}"));
            assertEquals(1.0, m.get("fogwerk_write_requests_total{source=\"rest\",outcome=\"denied\",}"));
            assertEquals(2.0, m.get("fogwerk_write_requests_total{source=\"rest\",outcome=\"refused\",}"));
            assertEquals(2.5, m.get("fogwerk_uplink_oldest_unsent_seconds{uplink=\"cloud\",}"));
            assertEquals(1000.0, m.get("fogwerk_uplink_sent_total{uplink=\"cloud\",}"));
            assertEquals(20.0, m.get("fogwerk_uplink_replayed_total{uplink=\"cloud\",}"));
            assertEquals(4.0, m.get("fogwerk_uplink_dropped_total{uplink=\"cloud\",}"));
            assertEquals(3.0, m.get("fogwerk_uplink_refused_total{uplink=\"cloud\",}"));
            assertEquals(2.0, m.get("fogwerk_uplink_quarantined_total{uplink=\"cloud\",}"));
            assertEquals(7.0, m.get("fogwerk_bus_dropped_total"));
            assertEquals(5.0, m.get("fogwerk_bus_listener_dropped_total{listener=\"org.fogwerk.uplink.local\",}"));
            assertEquals(15.0, m.get("fogwerk_bus_listener_queue_depth{listener=\"org.fogwerk.uplink.local\",}"));
            assertEquals(2.0, m.get("fogwerk_route_failures_total{route=\"alarms\",origin=\"etc/routes/alarms.xml\",}"));
            assertEquals(1.0, m.get("fogwerk_route_overflow_total{route=\"alarms\",origin=\"etc/routes/alarms.xml\",}"));
            // an endpoint values wait at with no route to read them: its losses are a route's overflow
            String unread = "fogwerk_route_overflow_total{route=\"-\",origin=\"fogwerk://edge/window?period=10s&stat=mean\",}";
            assertEquals(3.0, m.get(unread), r.text());
            assertEquals(9.0, m.get("fogwerk_shadow_updates_total"));
            assertEquals(0.0, m.get("fogwerk_shadow_events_dropped_total"));
            assertEquals(120.0, m.get("fogwerk_reported_state_writes_total"));
            assertEquals(8.0, m.get("fogwerk_reported_state_write_failures_total"));
            assertEquals(1.0, m.get("fogwerk_reported_state_failing{thing=\"press01\",shadow=\"tags-2\",code=\"413\",}"));
            assertEquals(1.0, m.get("fogwerk_bus_connection_queue_depth{connection=\"press01\",}"));
            assertEquals((double) hub.droppedTotal(), m.get("fogwerk_events_dropped_total"), "since the bundle started");
            assertEquals(3.0, m.get("fogwerk_audit_unwritten_total"), r.text());
            assertTrue(m.get("jvm_memory_bytes_used{area=\"heap\",}") > 0);
            assertTrue(m.get("jvm_threads_current") > 0);
        } finally {
            hub.deactivate();
        }
    }

    @Test
    void healthReasonsLeaveOutWhereTheNodeIsInstalled() {
        assertEquals("etc/org.fogwerk.connector.modbus-line2.cfg: transport = pigeon is invalid",
                HealthServlet.withoutHome("/opt/fogwerk/etc/org.fogwerk.connector.modbus-line2.cfg: transport = pigeon"
                        + " is invalid", "/opt/fogwerk"));
        assertEquals("no broker", HealthServlet.withoutHome("no broker", null));
    }

    @Test
    void theParserRefusesWhatPrometheusWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("a_total 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE a counter\na 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE a gauge\na{x=1} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("# TYPE a gauge\na one\n"));
        assertEquals(Map.of("a{x=\"1\",}", 2.0), PrometheusText.parse("# TYPE a gauge\na{x=\"1\",} 2.0\n"));
    }

    @Test
    void healthAndMetricsAreReadOnlyAndSaySo() throws Exception {
        HealthServlet health = new HealthServlet(node);
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "TRACE"}) {
            FakeHttp.Response r = new FakeHttp.Response();
            health.service(new FakeHttp.Request(method, "/health/ready").servlet("/health").build(), r.build());
            assertEquals(405, r.status, method);
            assertEquals(ReadOnlyServlet.ALLOW, r.header("Allow"), method);
            assertEquals(Problems.CONTENT_TYPE, r.contentType, "a problem document, not an error page");
        }
        FakeHttp.Response options = new FakeHttp.Response();
        health.service(new FakeHttp.Request("OPTIONS", "/health/live").servlet("/health").build(), options.build());
        assertEquals(204, options.status);
        assertEquals("GET, HEAD, OPTIONS", options.header("Allow"), "no TRACE that would then be refused");
    }

    @Test
    void readinessTurnsDownForAFailedConnectionUplinkOrRouteFile() throws Exception {
        HealthServlet health = new HealthServlet(node);
        FakeHttp.Response ok = new FakeHttp.Response();
        health.doGet(new FakeHttp.Request("GET", "/health/ready").servlet("/health").build(), ok.build());
        assertEquals(200, ok.status, ok.text());
        assertEquals("UP", ok.json().get("status").asText());

        ((Fakes.Registry) node.connectors).add("mill02", ConnectorState.FAILED, "port: 'abc' is not a number");
        FakeHttp.Response down = new FakeHttp.Response();
        health.doGet(new FakeHttp.Request("GET", "/health/ready").servlet("/health").build(), down.build());
        assertEquals(503, down.status);
        JsonNode failed = null;
        for (JsonNode c : down.json().get("components")) {
            if ("mill02".equals(c.get("name").asText())) {
                failed = c;
            }
        }
        assertEquals("DOWN", failed.get("status").asText());
        assertEquals("port: 'abc' is not a number", failed.get("reason").asText());

        ((Fakes.Registry) node.connectors).infos.remove("mill02");
        ((Fakes.FakeUplink) node.uplinks.get(0)).state = UplinkState.FAILED;
        assertEquals(1, health.readiness().stream().filter(c -> "DOWN".equals(c.get("status"))).count());
        ((Fakes.FakeUplink) node.uplinks.get(0)).state = UplinkState.WAITING;
        assertEquals(1, health.readiness().stream().filter(c -> "DOWN".equals(c.get("status"))).count(),
                "an uplink waiting for its profile's feature sends nothing");
        ((Fakes.FakeUplink) node.uplinks.get(0)).state = UplinkState.DISCONNECTED;
        node.reported = new ReportedState() {
            @Override public long writes() { return 120; }
            @Override public long failedWrites() { return 8; }
            @Override public List<Failure> failing() {
                return List.of(new Failure("press01", "tags-2", 413, "state is 9000 bytes", Instant.EPOCH, 8));
            }
        };
        node.routes = () -> List.of(new RouteInfo("-", "etc/routes/bad.xml:1", RouteInfo.FAILED, 0, 0, 0, "bad"));
        assertEquals(1, health.readiness().stream().filter(c -> "DOWN".equals(c.get("status"))).count());
        node.routes = null;
        node.shadows = null;
        assertEquals("shadow-store", health.readiness().stream().filter(c -> "DOWN".equals(c.get("status")))
                .findFirst().orElseThrow().get("name"));
        node.shadows = new Fakes.Shadows();
        node.gateway = null;
        assertEquals(List.of("write-gateway"), health.readiness().stream().filter(c -> "DOWN".equals(c.get("status")))
                .map(c -> c.get("name")).toList(), "without the write gateway the node only reads");

        FakeHttp.Response live = new FakeHttp.Response();
        health.doGet(new FakeHttp.Request("GET", "/health/live").servlet("/health").build(), live.build());
        assertEquals(200, live.status);
    }

    @Test
    void aConfiguredConnectionOrUplinkThatDoesNotRunIsNotReady() throws Exception {
        HealthServlet health = new HealthServlet(node);
        node.configurations = configurations(
                Map.of("service.factoryPid", "org.fogwerk.connector.modbus", "service.pid", "org.fogwerk.connector.modbus~press01"),
                Map.of("service.factoryPid", "org.fogwerk.uplink.mqtt", "service.pid", "org.fogwerk.uplink.mqtt.1234",
                        "felix.fileinstall.filename", "file:/node/etc/org.fogwerk.uplink.mqtt-cloud.cfg"),
                Map.of("service.factoryPid", "org.fogwerk.connector.opcua", "service.pid", "org.fogwerk.connector.opcua.99",
                        "name", "mill07", "felix.fileinstall.filename", "file:/node/etc/org.fogwerk.connector.opcua-m7.cfg"));
        List<Map<String, Object>> down = health.readiness().stream().filter(c -> "DOWN".equals(c.get("status"))).toList();
        assertEquals(1, down.size(), down.toString());
        assertEquals("mill07", down.get(0).get("name"));
        assertEquals("NOT_RUNNING", down.get(0).get("state"));
        assertTrue(down.get(0).get("reason").toString().contains("org.fogwerk.connector.opcua-m7.cfg"), down.toString());
    }

    /** A configuration admin holding the given configurations; press01 and cloud run in the fake node. */
    @SafeVarargs
    private static org.osgi.service.cm.ConfigurationAdmin configurations(Map<String, Object>... configurations) {
        List<org.osgi.service.cm.Configuration> list = new java.util.ArrayList<>();
        for (Map<String, Object> props : configurations) {
            list.add((org.osgi.service.cm.Configuration) java.lang.reflect.Proxy.newProxyInstance(
                    MetricsAndHealthTest.class.getClassLoader(), new Class<?>[] {org.osgi.service.cm.Configuration.class},
                    (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "getProperties": return new java.util.Hashtable<>(props);
                            case "getFactoryPid": return props.get("service.factoryPid");
                            case "getPid": return props.get("service.pid");
                            default: throw new UnsupportedOperationException(m.getName());
                        }
                    }));
        }
        return (org.osgi.service.cm.ConfigurationAdmin) java.lang.reflect.Proxy.newProxyInstance(
                MetricsAndHealthTest.class.getClassLoader(), new Class<?>[] {org.osgi.service.cm.ConfigurationAdmin.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("listConfigurations")) {
                        return list.toArray(new org.osgi.service.cm.Configuration[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
