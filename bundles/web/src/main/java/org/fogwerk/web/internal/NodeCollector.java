package org.fogwerk.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.routes.RouteInfo;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;

/**
 * The node's metrics, read from the counters the services keep, at scrape time only: nothing
 * is done per value on the hot path. Every place the node drops data has a counter here.
 */
final class NodeCollector extends Collector {

    private static final MetricRows<ConnectorInfo> CONNECTORS = new MetricRows<ConnectorInfo>(
            List.of("connection"), c -> List.of(c.id()))
            .counter("fogwerk_connector_values", "Values a connection published to the tag bus", c -> c.valuesIn())
            .counter("fogwerk_connector_dropped",
                    "Values of a connection the tag bus dropped because its queue was full", c -> c.valuesDropped())
            .counter("fogwerk_connector_consumer_dropped",
                    "Values of a connection a consumer of the tag bus (uplink, route, reported state ...) lost because "
                            + "its queue was full", List.of("connection", "consumer"),
                    (c, samples) -> c.droppedByConsumer().forEach(
                            (consumer, n) -> samples.add(List.of(c.id(), consumer), n)))
            .counter("fogwerk_connector_reconnects", "Times a connection was re-established after a loss",
                    c -> c.status().reconnects())
            .gauge("fogwerk_connector_tags", "Tags configured for a connection", c -> c.tagCount())
            .states("fogwerk_connector_state", "1 for the state a connection is in, 0 for the others",
                    ConnectorState.values(), c -> c.status().state());

    /** An uplink and its status, read once a scrape. */
    private record UplinkRow(String name, UplinkStatus status) {
    }

    private static final MetricRows<UplinkRow> UPLINKS = new MetricRows<UplinkRow>(
            List.of("uplink"), u -> List.of(u.name()))
            .gauge("fogwerk_uplink_outbox_messages",
                    "Messages in an uplink's outbox not yet acknowledged by the broker", u -> u.status().outboxDepth())
            .gauge("fogwerk_uplink_outbox_bytes", "Bytes of the messages in an uplink's outbox",
                    u -> u.status().outboxBytes())
            .gauge("fogwerk_uplink_oldest_unsent_seconds", "Age of the oldest unacknowledged message of an uplink",
                    u -> u.status().oldestUnsent() == null ? 0 : u.status().oldestUnsent().toMillis() / 1000.0)
            .counter("fogwerk_uplink_sent", "Messages of an uplink the broker acknowledged", u -> u.status().sent())
            .counter("fogwerk_uplink_replayed", "Messages of an uplink sent after waiting out an outage",
                    u -> u.status().replayed())
            .counter("fogwerk_uplink_dropped",
                    "Messages an uplink dropped because its outbox was full or could not write",
                    u -> u.status().dropped())
            .counter("fogwerk_uplink_refused", "Values an uplink refused: its outbox full with overflow refuse, or a"
                    + " message larger than the broker takes", u -> u.status().refused())
            .counter("fogwerk_uplink_quarantined", "Damaged outbox messages an uplink set aside, not sent",
                    u -> u.status().quarantined())
            .states("fogwerk_uplink_state", "1 for the state an uplink is in, 0 for the others",
                    UplinkState.values(), u -> u.status().state());

    private static final MetricRows<Map.Entry<String, Counters>> LISTENERS =
            new MetricRows<Map.Entry<String, Counters>>(List.of("listener"), e -> List.of(e.getKey()))
            .counter("fogwerk_bus_listener_values", "Values the tag bus offered to a listener",
                    e -> e.getValue().in())
            .counter("fogwerk_bus_listener_delivered", "Values a listener received", e -> e.getValue().delivered())
            .counter("fogwerk_bus_listener_dropped", "Values a listener lost because its queue was full",
                    e -> e.getValue().dropped())
            .gauge("fogwerk_bus_listener_queue_depth", "Values waiting in a listener's queue",
                    e -> waiting(e.getValue()));

    private static final MetricRows<Map.Entry<String, Counters>> BUS_CONNECTIONS =
            new MetricRows<Map.Entry<String, Counters>>(List.of("connection"), e -> List.of(e.getKey()))
            .gauge("fogwerk_bus_connection_queue_depth",
                    "Values of a connection waiting for the bus to dispatch them", e -> waiting(e.getValue()));

    // the origin without its line (file.xml:12): an edit above the route must not begin a new series
    private static final MetricRows<RouteInfo> ROUTES = new MetricRows<RouteInfo>(
            List.of("route", "origin"), r -> List.of(r.routeId(), r.origin().replaceFirst(":\\d+$", "")))
            .counter("fogwerk_route_exchanges", "Exchanges a route completed", r -> r.exchanges())
            .counter("fogwerk_route_failures", "Exchanges of a route that ended with an exception",
                    r -> r.failures())
            .counter("fogwerk_route_overflow", "Values a route lost because it could not keep up", r -> r.overflow());

    private static final MetricRows<RouteInfo> ROUTE_FILES = new MetricRows<RouteInfo>(
            List.of("origin"), r -> List.of(r.origin()))
            .gauge("fogwerk_route_file_failed", "1 for a route file or route bundle that does not load",
                    r -> r.failed() ? 1 : 0);

    private final Node node;
    private final EventHub events;
    private final ShadowActivity shadows;

    NodeCollector(Node node, EventHub events, ShadowActivity shadows) {
        this.node = node;
        this.events = events;
        this.shadows = shadows;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        connectors(out);
        uplinks(out);
        bus(out);
        routes(out);
        node.ifAny(Node.GATEWAY).ifPresent(g -> {
            CounterMetricFamily requests = new CounterMetricFamily("fogwerk_write_requests",
                    "Machine writes, method calls and shadow requests through the write gateway, by source and answer"
                            + " (accepted; denied: role or write policy; refused: unknown target, bad value or document)",
                    List.of("source", "outcome"));
            for (org.fogwerk.api.authority.RequestCounters c : g.counters()) {
                requests.addMetric(List.of(c.source().id(), "accepted"), c.accepted());
                requests.addMetric(List.of(c.source().id(), "denied"), c.denied());
                requests.addMetric(List.of(c.source().id(), "refused"), c.refused());
            }
            out.add(requests);
        });
        node.ifAny(Node.REPORTED).ifPresent(r -> {
            out.add(counter("fogwerk_reported_state_writes", "Reported-state writes of things the shadow store accepted",
                    r.writes()));
            out.add(counter("fogwerk_reported_state_write_failures",
                    "Reported-state writes of things the shadow store refused (413: state over the size limit) or "
                            + "that failed", r.failedWrites()));
            GaugeMetricFamily failing = new GaugeMetricFamily("fogwerk_reported_state_failing",
                    "1 for a shadow whose latest reported-state write failed, by the store's error code",
                    List.of("thing", "shadow", "code"));
            for (ReportedState.Failure f : r.failing()) {
                failing.addMetric(List.of(f.thing(), f.shadow(), String.valueOf(f.code())), 1);
            }
            out.add(failing);
        });
        node.ifAny(Node.SHADOWS).ifPresent(store -> {
            out.add(new GaugeMetricFamily("fogwerk_shadow_restored_at_start",
                    "Shadows the store took back from its snapshot when it opened its file damaged",
                    store.restoredAtStart()));
            out.add(counter("fogwerk_shadow_events_dropped",
                    "Shadow events (updates, deltas, deletes) not passed on because listeners fell behind",
                    store.droppedEvents()));
        });
        AuditTrail trail = node.audit;
        if (trail != null) {
            out.add(counter("fogwerk_audit_unwritten", "Write and call outcomes the audit trail could not write since"
                    + " it was opened (fogwerk:audit-verify says so too; the log names them)", trail.unwritten()));
        }
        if (shadows != null) {
            out.add(counter("fogwerk_shadow_updates", "Shadow updates the store accepted", shadows.updates.sum()));
            out.add(counter("fogwerk_shadow_deltas", "Accepted shadow updates that left a delta", shadows.deltas.sum()));
            out.add(counter("fogwerk_shadow_deletes", "Shadows deleted", shadows.deletes.sum()));
        }
        if (events != null) {
            out.add(new GaugeMetricFamily("fogwerk_events_clients", "Clients of the event stream /api/v1/events",
                    events.clientCount()));
            out.add(counter("fogwerk_events_sent", "Events written to event stream clients", events.sentTotal()));
            out.add(counter("fogwerk_events_dropped", "Events lost because an event stream client did not keep up",
                    events.droppedTotal()));
        }
        return out;
    }

    private void connectors(List<MetricFamilySamples> out) {
        CONNECTORS.collect(node.ifAny(Node.CONNECTORS).map(r -> r.connectors()).orElse(List.of()), out);
    }

    private void uplinks(List<MetricFamilySamples> out) {
        List<UplinkRow> rows = new ArrayList<>();
        for (Uplink u : node.uplinks()) {
            rows.add(new UplinkRow(u.name(), u.status()));
        }
        UPLINKS.collect(rows, out);
    }

    private void bus(List<MetricFamilySamples> out) {
        TagBus bus = node.ifAny(Node.BUS).orElse(null);
        if (bus == null) {
            return;
        }
        Counters total = bus.total();
        out.add(counter("fogwerk_bus_values", "Values offered to the tag bus by all connections", total.in()));
        out.add(counter("fogwerk_bus_dropped", "Values the tag bus dropped, all connections", total.dropped()));
        LISTENERS.collect(bus.listeners().entrySet(), out);
        BUS_CONNECTIONS.collect(bus.connections().entrySet(), out);
    }

    /** Values taken in and neither delivered nor dropped yet. */
    private static double waiting(Counters c) {
        return Math.max(0, c.in() - c.delivered() - c.dropped());
    }

    private void routes(List<MetricFamilySamples> out) {
        List<RouteInfo> routes = node.ifAny(Node.ROUTES).map(r -> r.routes()).orElse(null);
        if (routes == null) {
            return;
        }
        // a route file that does not load is listed as a route "-", and so is an endpoint values
        // wait at with no route reading them (fogwerk:edge/window without its reader): that one's
        // losses are counted as a route's, its origin the endpoint
        List<RouteInfo> loaded = new ArrayList<>();
        List<RouteInfo> files = new ArrayList<>();
        for (RouteInfo r : routes) {
            if ("-".equals(r.routeId()) && !r.origin().startsWith("fogwerk:")) {
                files.add(r);
            } else {
                loaded.add(r);
            }
        }
        ROUTES.collect(loaded, out);
        ROUTE_FILES.collect(files, out);
    }

    private static CounterMetricFamily counter(String name, String help, double value) {
        return new CounterMetricFamily(name, help, value);
    }
}
