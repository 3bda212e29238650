package org.fogwerk.web.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.alarm.AlarmEvent;
import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.routes.RouteInfo;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkStatus;

/** The JSON shape of each concept of the API, as ordered maps (field names are the API's contract). */
final class Views {

    private Views() {
    }

    static Map<String, Object> connector(ConnectorInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("protocol", c.protocol());
        m.put("state", c.status().state().name());
        m.put("reason", c.status().reason());
        m.put("since", c.status().since().toString());
        m.put("reconnects", c.status().reconnects());
        m.put("tags", c.tagCount());
        m.put("valuesIn", c.valuesIn());
        m.put("valuesPerSecond", finite(c.valuesPerSecond()));
        // what the shell's DROPPED says: lost anywhere on the bus, and by which consumer
        m.put("dropped", c.droppedTotal());
        m.put("droppedByConsumer", c.droppedByConsumer());
        return m;
    }

    static Map<String, Object> browse(BrowseNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", n.nodeId());
        m.put("browseName", n.browseName());
        m.put("nodeClass", n.nodeClass());
        m.put("dataType", n.dataType());
        m.put("accessLevel", n.accessLevel());
        m.put("hasChildren", n.hasChildren());
        return m;
    }

    static Map<String, Object> thing(Thing t, List<String> shadows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("type", t.type());
        m.put("attributes", t.attributes());
        m.put("shadow", t.shadow());
        m.put("implicit", t.implicit());
        m.put("error", t.error());
        List<Map<String, Object>> mappings = new ArrayList<>();
        for (FieldMapping f : t.mappings()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("field", f.field());
            fm.put("connection", f.connectionId());
            fm.put("tag", f.tag());
            mappings.add(fm);
        }
        m.put("mappings", mappings);
        if (shadows != null) {
            m.put("shadows", shadows);
        }
        return m;
    }

    /** A shadow document in the AWS IoT Device Shadow form: empty parts of the state left out. */
    static Map<String, Object> shadow(ShadowDocument d) {
        Map<String, Object> state = new LinkedHashMap<>();
        putUnlessEmpty(state, "desired", d.desired());
        putUnlessEmpty(state, "reported", d.reported());
        putUnlessEmpty(state, "delta", d.delta());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("thing", d.thing());
        m.put("shadow", d.shadow());
        m.put("state", state);
        m.put("metadata", d.metadata());
        m.put("version", d.version());
        m.put("timestamp", d.timestamp());
        return m;
    }

    static Map<String, Object> uplink(Uplink u) {
        UplinkStatus s = u.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("state", s.state().name());
        m.put("lastError", s.lastError());
        m.put("since", s.since() == null ? null : s.since().toString());
        m.put("outboxMessages", s.outboxDepth());
        m.put("oldestUnsentSeconds", s.oldestUnsent() == null ? 0.0 : s.oldestUnsent().toMillis() / 1000.0);
        m.put("sentPerSecond", finite(s.sentPerSecond()));
        m.put("sent", s.sent());
        m.put("replayed", s.replayed());
        m.put("dropped", s.dropped());
        return m;
    }

    static Map<String, Object> route(RouteInfo r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("routeId", r.routeId());
        m.put("origin", r.origin());
        m.put("state", r.state());
        m.put("exchanges", r.exchanges());
        m.put("failures", r.failures());
        m.put("overflow", r.overflow());
        m.put("lastError", r.lastError());
        return m;
    }

    /** An alarm event; {@code thing} is the event's own or, when it has none, the thing its tag feeds. */
    static Map<String, Object> alarm(AlarmEvent e, String thing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", e.sequence());
        m.put("time", e.instant().toString());
        m.put("level", e.level());
        m.put("previous", e.previous());
        m.put("event", e.raised() ? "RAISE" : "CLEAR");
        m.put("thing", thing);
        m.put("connection", e.connection());
        m.put("tag", e.tag());
        m.put("alarmTag", e.alarmTag());
        m.put("value", finiteOrNull(e.value()));
        m.put("limit", finiteOrNull(e.limit()));
        m.put("quality", e.quality().name());
        m.put("route", e.route());
        return m;
    }

    static Map<String, Object> simulator(Simulator sim, boolean withTags) {
        SimulatorStatus s = sim.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", s.protocol());
        m.put("running", s.running());
        m.put("endpoint", s.endpoint());
        m.put("tags", s.tagCount());
        m.put("updateIntervalMillis", s.updateInterval());
        m.put("updates", s.updates());
        m.put("writes", s.writes());
        m.put("error", s.error());
        m.put("since", s.since() == null ? null : s.since().toString());
        if (withTags) {
            List<Map<String, Object>> tags = new ArrayList<>();
            for (SimulatedTag t : sim.tags()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("name", t.name());
                tm.put("address", t.address());
                tm.put("dataType", t.dataType().name());
                tm.put("writable", t.writable());
                tags.add(tm);
            }
            m.put("tagList", tags);
        }
        return m;
    }

    static Map<String, Object> audit(AuditEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", e.sequence());
        m.put("time", e.time().toString());
        m.put("kind", e.event().kind());
        m.put("source", e.event().source());
        m.put("identity", e.event().identity());
        m.put("thing", e.event().thing());
        m.put("target", e.event().target());
        m.put("value", e.event().value());
        m.put("outcome", e.event().outcome());
        m.put("detail", e.event().detail());
        m.put("hash", e.hash());
        return m;
    }

    private static void putUnlessEmpty(Map<String, Object> m, String key, Map<String, Object> value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }

    private static Object finiteOrNull(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? d : 0.0;
    }
}
