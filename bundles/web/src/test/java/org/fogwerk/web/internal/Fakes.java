package org.fogwerk.web.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.alarm.AlarmEvent;
import org.fogwerk.api.alarm.AlarmLog;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;

/** Small working stand-ins of the node's services, for servlet tests. */
final class Fakes {

    static final WebUser VIEWER = new WebUser("vera", Set.of(Roles.VIEWER));
    static final WebUser OPERATOR = new WebUser("otto", Set.of(Roles.OPERATOR));
    static final WebUser ADMIN = new WebUser("ada", Set.of(Roles.ADMIN, "manager"));

    /** Connections with their tags; writes change the bus's latest value. */
    static final class Registry implements ConnectorRegistry {
        final Map<String, ConnectorInfo> infos = new TreeMap<>();
        final Map<String, List<TagDefinition>> tags = new HashMap<>();
        final Bus bus;
        /** The reason every write fails with on the way to the machine, or null. */
        volatile String failWith;

        Registry(Bus bus) {
            this.bus = bus;
        }

        Registry add(String id, ConnectorState state, String reason, TagDefinition... defs) {
            infos.put(id, new ConnectorInfo(id, "modbus", new ConnectorStatus(state, reason,
                    Instant.parse("2026-12-06T04:00:00Z"), 2), defs.length, 42, 3, 10.0, Map.of("uplink-cloud", 6L)));
            tags.put(id, List.of(defs));
            return this;
        }

        @Override public List<ConnectorInfo> connectors() { return new ArrayList<>(infos.values()); }
        @Override public Optional<ConnectorInfo> connector(String id) { return Optional.ofNullable(infos.get(id)); }
        @Override public List<TagDefinition> tags(String id) { return tags.getOrDefault(id, List.of()); }

        @Override
        public CompletionStage<TagValue> read(String id, String tag) {
            return CompletableFuture.completedFuture(bus.latest(id, tag).orElseThrow());
        }

        @Override
        public CompletionStage<WriteResult> write(String id, String tag, Object value) {
            TagDefinition d = tags(id).stream().filter(t -> t.name().equals(tag)).findFirst().orElse(null);
            if (d == null) {
                return CompletableFuture.completedFuture(WriteResult.refused(id, tag, "unknown tag " + tag));
            }
            if (failWith != null) {
                return CompletableFuture.completedFuture(WriteResult.failed(id, tag, failWith));
            }
            try {
                Object v = d.checkWrite(value);
                bus.put(TagValue.good(id, tag, v));
                return CompletableFuture.completedFuture(WriteResult.done(id, tag));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.completedFuture(WriteResult.refused(id, tag, e.getMessage()));
            }
        }

        @Override
        public CompletionStage<List<BrowseNode>> browse(String id, String nodeId) {
            return CompletableFuture.completedFuture(List.of(new BrowseNode("ns=2;s=Machine", "Machine", "Object", "", "", true)));
        }

        @Override
        public CompletionStage<CallResult> call(String id, String objectId, String methodId, List<Object> arguments) {
            return CompletableFuture.completedFuture(CallResult.refused(id, methodId, "no methods"));
        }
    }

    /** Latest values and counters. */
    static final class Bus implements TagBus {
        final Map<String, Map<String, TagValue>> latest = new HashMap<>();
        final Map<String, Counters> listeners = new TreeMap<>();

        void put(TagValue v) {
            latest.computeIfAbsent(v.connectionId(), k -> new TreeMap<>()).put(v.tag(), v);
        }

        @Override public Counters total() { return new Counters(100, 90, 7, 5.0); }
        @Override public Map<String, Counters> connections() { return Map.of("press01", new Counters(42, 38, 3, 10.0)); }
        @Override public Map<String, Counters> listeners() { return listeners; }
        @Override public List<TagValue> latest(String id) { return new ArrayList<>(latest.getOrDefault(id, Map.of()).values()); }
        @Override public Optional<TagValue> latest(String id, String tag) { return Optional.ofNullable(latest.getOrDefault(id, Map.of()).get(tag)); }
    }

    /** A gateway that records its callers and writes through the registry, or refuses everything. */
    static final class Gateway implements WriteGateway {
        final Registry registry;
        final List<Caller> callers = new ArrayList<>();
        final ShadowStore shadows;

        @Override
        public List<org.fogwerk.api.authority.RequestCounters> counters() {
            return List.of(new org.fogwerk.api.authority.RequestCounters(org.fogwerk.api.authority.Source.REST, 3, 1, 2));
        }

        @Override
        public org.fogwerk.api.authority.PolicyStatus policy() {
            return new org.fogwerk.api.authority.PolicyStatus("defaults", "", List.of());
        }

        Gateway(Registry registry, ShadowStore shadows) {
            this.registry = registry;
            this.shadows = shadows;
        }

        @Override
        public CompletionStage<WriteResult> write(Caller caller, String connection, String tag, Object value) {
            callers.add(caller);
            return registry.write(connection, tag, value);
        }

        @Override
        public CompletionStage<CallResult> call(Caller caller, String connection, String objectId, String methodId,
                List<Object> arguments) {
            return CompletableFuture.completedFuture(CallResult.refused(connection, methodId, "no"));
        }

        @Override
        public byte[] updateShadow(Caller caller, String thing, String shadow, byte[] requestJson) throws ShadowException {
            callers.add(caller);
            return shadows.update(thing, shadow, requestJson);
        }

        @Override
        public ShadowDocument updateShadow(Caller caller, String thing, String shadow, ShadowUpdate update) throws ShadowException {
            throw new ShadowException(500, "not used", null);
        }

        @Override
        public long deleteShadow(Caller caller, String thing, String shadow, Long expectedVersion, String clientToken)
                throws ShadowException {
            callers.add(caller);
            return shadows.delete(thing, shadow, expectedVersion, clientToken);
        }

        @Override public boolean owns(String thing) { return true; }

        /** Writes refused before they reached the gateway: "kind thing/target code source". */
        final List<String> refusals = new CopyOnWriteArrayList<>();

        @Override
        public void refused(Caller caller, String kind, String thing, String target, int code, String reason) {
            refusals.add(kind + " " + thing + "/" + target + " " + code + " " + caller.source().id());
        }
    }

    /**
     * A shadow store that keeps one version number per shadow and the request as desired state:
     * enough to tell the servlet's mapping of codes, not the store's semantics.
     */
    static final class Shadows implements ShadowStore {
        final Map<String, Long> versions = new HashMap<>();

        @Override
        public ShadowDocument get(String thing, String shadow) throws ShadowException {
            Long v = versions.get(thing + "/" + shadow);
            if (v == null) {
                throw new ShadowException(404, "No shadow exists with name: '" + thing + "'", null);
            }
            return new ShadowDocument(thing, shadow, Map.of("speed", 5), Map.of("speed", 4), Map.of("speed", 5), Map.of(), v, 1);
        }

        @Override
        public byte[] update(String thing, String shadow, byte[] requestJson) throws ShadowException {
            String json = new String(requestJson, StandardCharsets.UTF_8);
            long current = versions.getOrDefault(thing + "/" + shadow, 0L);
            if (json.contains("\"version\"") && !json.contains("\"version\":" + current)) {
                throw new ShadowException(409, "Version conflict", null);
            }
            versions.put(thing + "/" + shadow, current + 1);
            return ("{\"version\":" + (current + 1) + "}").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public ShadowDocument update(String thing, String shadow, ShadowUpdate update) throws ShadowException {
            throw new ShadowException(500, "not used", null);
        }

        @Override
        public void delete(String thing, String shadow, Long expectedVersion) throws ShadowException {
            get(thing, shadow);
            versions.remove(thing + "/" + shadow);
        }

        @Override public Set<String> things() { return Set.of(); }
        @Override public List<String> shadows(String thing) { return List.of(); }
    }

    /** An uplink with a settable state. */
    static final class FakeUplink implements Uplink {
        final String name;
        volatile UplinkState state = UplinkState.CONNECTED;
        volatile String error = "";
        int flushes;

        FakeUplink(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }

        @Override
        public UplinkStatus status() {
            return new UplinkStatus(state, error, Instant.parse("2026-12-06T04:00:00Z"), 12, Duration.ofMillis(2500), 1.5, 1000, 20,
                    4, 3, 2, 4096);
        }

        @Override public CompletionStage<Void> submit(List<TagValue> values) { return CompletableFuture.completedFuture(null); }

        @Override
        public CompletionStage<Void> flush() {
            flushes++;
            return CompletableFuture.completedFuture(null);
        }
    }

    static TagDefinition setpoint(String name) {
        return new TagDefinition(name, "40001", DataType.FLOAT, Access.READ_WRITE, "bar", "", 0.0, 100.0, Map.of());
    }

    static TagDefinition sensor(String name) {
        return TagDefinition.readOnly(name, "30001", DataType.DOUBLE);
    }

    /** A node with one connection "press01" (a set point and a sensor), a bus, shadows, a gateway and an uplink. */
    static Node node() {
        Node node = new Node();
        Bus bus = new Bus();
        Registry registry = new Registry(bus).add("press01", ConnectorState.CONNECTED, "", setpoint("setpoint"), sensor("temperature"));
        bus.put(TagValue.good("press01", "temperature", 21.5, 1_000, 2_000));
        node.bus = bus;
        node.connectors = registry;
        Shadows shadows = new Shadows();
        node.shadows = shadows;
        node.gateway = new Gateway(registry, shadows);
        node.uplinks.add(new FakeUplink("cloud"));
        return node;
    }

    /** An alarm log as the routing rules keep it: events in order, newest last. */
    static final class Alarms implements AlarmLog {
        final List<AlarmEvent> events = new CopyOnWriteArrayList<>();

        AlarmEvent raise(String thing, String connection, String tag, String level, double value) {
            String previous = events.stream().filter(e -> e.connection().equals(connection) && e.tag().equals(tag))
                    .reduce((a, b) -> b).map(AlarmEvent::level).orElse(AlarmEvent.NORMAL);
            AlarmEvent e = new AlarmEvent(events.size() + 1, "alarms", thing, connection, tag, tag + "_alarm", level,
                    previous, value, "LOW".equals(level) || "LOW".equals(previous) ? -80 : 80, Quality.GOOD,
                    1_000L * (events.size() + 1));
            events.add(e);
            return e;
        }

        @Override
        public List<AlarmEvent> recent(int limit) {
            List<AlarmEvent> list = new ArrayList<>(events);
            Collections.reverse(list);
            return list.subList(0, Math.min(limit, list.size()));
        }

        @Override
        public List<AlarmEvent> after(long sequence) {
            return events.stream().filter(e -> e.sequence() > sequence).collect(Collectors.toList());
        }
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Fakes() {
    }
}
