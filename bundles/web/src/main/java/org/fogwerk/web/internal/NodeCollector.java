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
        node.gatewayIfAny().ifPresent(g -> {
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
        node.reportedIfAny().ifPresent(r -> {
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
        node.shadowsIfAny().ifPresent(store -> out.add(new GaugeMetricFamily("fogwerk_shadow_restored_at_start",
                "Shadows the store took back from its snapshot when it opened its file damaged",
                store.restoredAtStart())));
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
        List<ConnectorInfo> list = node.connectorsIfAny().map(r -> r.connectors()).orElse(List.of());
        List<String> label = List.of("connection");
        CounterMetricFamily values = new CounterMetricFamily("fogwerk_connector_values",
                "Values a connection published to the tag bus", label);
        CounterMetricFamily dropped = new CounterMetricFamily("fogwerk_connector_dropped",
                "Values of a connection the tag bus dropped because its queue was full", label);
        CounterMetricFamily consumerDropped = new CounterMetricFamily("fogwerk_connector_consumer_dropped",
                "Values of a connection a consumer of the tag bus (uplink, route, reported state ...) lost because its "
                        + "queue was full", List.of("connection", "consumer"));
        CounterMetricFamily reconnects = new CounterMetricFamily("fogwerk_connector_reconnects",
                "Times a connection was re-established after a loss", label);
        GaugeMetricFamily tags = new GaugeMetricFamily("fogwerk_connector_tags", "Tags configured for a connection",
                label);
        GaugeMetricFamily state = new GaugeMetricFamily("fogwerk_connector_state",
                "1 for the state a connection is in, 0 for the others", List.of("connection", "state"));
        for (ConnectorInfo c : list) {
            List<String> l = List.of(c.id());
            values.addMetric(l, c.valuesIn());
            dropped.addMetric(l, c.valuesDropped());
            c.droppedByConsumer().forEach((consumer, n) -> consumerDropped.addMetric(List.of(c.id(), consumer), n));
            reconnects.addMetric(l, c.status().reconnects());
            tags.addMetric(l, c.tagCount());
            for (ConnectorState s : ConnectorState.values()) {
                state.addMetric(List.of(c.id(), s.name()), c.status().state() == s ? 1 : 0);
            }
        }
        out.add(values);
        out.add(dropped);
        out.add(consumerDropped);
        out.add(reconnects);
        out.add(tags);
        out.add(state);
    }

    private void uplinks(List<MetricFamilySamples> out) {
        List<String> label = List.of("uplink");
        GaugeMetricFamily messages = new GaugeMetricFamily("fogwerk_uplink_outbox_messages",
                "Messages in an uplink's outbox not yet acknowledged by the broker", label);
        GaugeMetricFamily bytes = new GaugeMetricFamily("fogwerk_uplink_outbox_bytes",
                "Bytes of the messages in an uplink's outbox", label);
        GaugeMetricFamily oldest = new GaugeMetricFamily("fogwerk_uplink_oldest_unsent_seconds",
                "Age of the oldest unacknowledged message of an uplink", label);
        CounterMetricFamily sent = new CounterMetricFamily("fogwerk_uplink_sent",
                "Messages of an uplink the broker acknowledged", label);
        CounterMetricFamily replayed = new CounterMetricFamily("fogwerk_uplink_replayed",
                "Messages of an uplink sent after waiting out an outage", label);
        CounterMetricFamily dropped = new CounterMetricFamily("fogwerk_uplink_dropped",
                "Messages an uplink dropped because its outbox was full", label);
        GaugeMetricFamily state = new GaugeMetricFamily("fogwerk_uplink_state",
                "1 for the state an uplink is in, 0 for the others", List.of("uplink", "state"));
        for (Uplink u : node.uplinks()) {
            UplinkStatus s = u.status();
            List<String> l = List.of(u.name());
            messages.addMetric(l, s.outboxDepth());
            bytes.addMetric(l, s.outboxBytes());
            oldest.addMetric(l, s.oldestUnsent() == null ? 0 : s.oldestUnsent().toMillis() / 1000.0);
            sent.addMetric(l, s.sent());
            replayed.addMetric(l, s.replayed());
            dropped.addMetric(l, s.dropped());
            for (UplinkState st : UplinkState.values()) {
                state.addMetric(List.of(u.name(), st.name()), s.state() == st ? 1 : 0);
            }
        }
        out.add(messages);
        out.add(bytes);
        out.add(oldest);
        out.add(sent);
        out.add(replayed);
        out.add(dropped);
        out.add(state);
    }

    private void bus(List<MetricFamilySamples> out) {
        TagBus bus = node.busIfAny().orElse(null);
        if (bus == null) {
            return;
        }
        Counters total = bus.total();
        out.add(counter("fogwerk_bus_values", "Values offered to the tag bus by all connections", total.in()));
        out.add(counter("fogwerk_bus_dropped", "Values the tag bus dropped, all connections", total.dropped()));
        List<String> label = List.of("listener");
        CounterMetricFamily queued = new CounterMetricFamily("fogwerk_bus_listener_values",
                "Values the tag bus offered to a listener", label);
        CounterMetricFamily delivered = new CounterMetricFamily("fogwerk_bus_listener_delivered",
                "Values a listener received", label);
        CounterMetricFamily dropped = new CounterMetricFamily("fogwerk_bus_listener_dropped",
                "Values a listener lost because its queue was full", label);
        GaugeMetricFamily depth = new GaugeMetricFamily("fogwerk_bus_listener_queue_depth",
                "Values waiting in a listener's queue", label);
        for (Map.Entry<String, Counters> e : bus.listeners().entrySet()) {
            List<String> l = List.of(e.getKey());
            Counters c = e.getValue();
            queued.addMetric(l, c.in());
            delivered.addMetric(l, c.delivered());
            dropped.addMetric(l, c.dropped());
            depth.addMetric(l, Math.max(0, c.in() - c.delivered() - c.dropped()));
        }
        GaugeMetricFamily connectionDepth = new GaugeMetricFamily("fogwerk_bus_connection_queue_depth",
                "Values of a connection waiting for the bus to dispatch them", List.of("connection"));
        for (Map.Entry<String, Counters> e : bus.connections().entrySet()) {
            Counters c = e.getValue();
            connectionDepth.addMetric(List.of(e.getKey()), Math.max(0, c.in() - c.delivered() - c.dropped()));
        }
        out.add(queued);
        out.add(delivered);
        out.add(dropped);
        out.add(depth);
        out.add(connectionDepth);
    }

    private void routes(List<MetricFamilySamples> out) {
        List<RouteInfo> routes = node.routesIfAny().map(r -> r.routes()).orElse(null);
        if (routes == null) {
            return;
        }
        List<String> label = List.of("route", "origin");
        CounterMetricFamily exchanges = new CounterMetricFamily("fogwerk_route_exchanges",
                "Exchanges a route completed", label);
        CounterMetricFamily failures = new CounterMetricFamily("fogwerk_route_failures",
                "Exchanges of a route that ended with an exception", label);
        CounterMetricFamily overflow = new CounterMetricFamily("fogwerk_route_overflow",
                "Values a route lost because it could not keep up", label);
        GaugeMetricFamily failed = new GaugeMetricFamily("fogwerk_route_file_failed",
                "1 for a route file or route bundle that does not load", List.of("origin"));
        for (RouteInfo r : routes) {
            if ("-".equals(r.routeId())) {
                failed.addMetric(List.of(r.origin()), r.failed() ? 1 : 0);
                continue;
            }
            List<String> l = List.of(r.routeId(), r.origin());
            exchanges.addMetric(l, r.exchanges());
            failures.addMetric(l, r.failures());
            overflow.addMetric(l, r.overflow());
        }
        out.add(exchanges);
        out.add(failures);
        out.add(overflow);
        out.add(failed);
    }

    private static CounterMetricFamily counter(String name, String help, double value) {
        return new CounterMetricFamily(name, help, value);
    }
}
