package org.fogwerk.connector.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.connector.opcua.internal.TestSupport.config;
import static org.fogwerk.testing.Configs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.fogwerk.api.DataType;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.connector.opcua.internal.TestSupport.RecordingSink;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.testing.FreePorts;
import org.fogwerk.testing.TcpForward;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpcUaConnectorTest extends SimulatorFixture {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NS = "nsu=urn:fogwerk:simulator;s=";

    private final RecordingSink sink = connections.sink;

    @BeforeEach
    void startSimulator() {
        runSimulator(21, 4, WAIT);
    }

    private String url() {
        return "opc.tcp://127.0.0.1:" + port + "/fogwerk";
    }

    private OpcUaConnection start(Object... kv) {
        Map<String, Object> m = map(kv);
        m.putIfAbsent("endpoint.url", url());
        m.putIfAbsent("felix.fileinstall.filename", "etc/org.fogwerk.connector.opcua-sim.cfg");
        m.putIfAbsent("publishing.interval", "100");
        m.putIfAbsent("sampling.interval", "50");
        m.putIfAbsent("reconnect.min", "200");
        m.putIfAbsent("reconnect.max", "1000");
        m.putIfAbsent("pki.dir", dir.resolve("pki").toString());
        return connections.make(m);
    }

    /** Every simulator tag in a CSV file, set points as rw, plus extra lines. */
    private Path tagsFile(String... extra) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("name,nodeId,samplingInterval,deadband,access,min,max,unit,description");
        for (SimulatedTag t : simulator.tags()) {
            lines.add(t.name() + "," + NS + t.name() + ",,," + (t.writable() ? "rw" : "r") + ",,,,");
        }
        lines.addAll(List.of(extra));
        Path file = dir.resolve("sim.csv");
        Files.write(file, lines);
        return file;
    }

    private static void awaitState(OpcUaConnection c, ConnectorState state) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(state, c.status().state(), c.status().reason()));
    }

    @Test
    void valuesArriveWithTheRightTypes() throws Exception {
        OpcUaConnection c = start("tags.file", tagsFile().toString());
        awaitState(c, ConnectorState.CONNECTED);
        assertEquals("sim", c.id());
        await().atMost(WAIT).until(() -> simulator.tags().stream()
                .allMatch(t -> sink.latest.containsKey(t.name())));
        for (SimulatedTag t : simulator.tags()) {
            TagValue v = sink.latest.get(t.name());
            assertEquals(Quality.GOOD, v.quality(), v.toString());
            assertEquals("sim", v.connectionId());
            assertInstanceOf(t.dataType().javaType(), v.value(), t.name() + " " + v);
            assertTrue(v.sourceTime() > 0 && v.receivedTime() >= v.sourceTime() - 5000, v.toString());
        }
        // data types come from the server
        Map<String, DataType> types = c.tags().stream()
                .collect(Collectors.toMap(TagDefinition::name, TagDefinition::dataType));
        for (SimulatedTag t : simulator.tags()) {
            assertEquals(t.dataType(), types.get(t.name()), t.name());
        }
        assertTrue(c.tags().stream().allMatch(TagDefinition::typeKnown), c.tags().toString());
        // values keep changing
        String ramp = simulator.tags().get(1).name();
        int before = sink.of(ramp).size();
        await().atMost(WAIT).until(() -> sink.of(ramp).size() > before + 3);
        assertEquals(simulator.tags().size(), c.monitoredItemCount());
    }

    @Test
    void theSessionGoesToTheConfiguredPortNotTheOneTheServerAnnounces() throws Exception {
        // a port forward (NAT, firewall, tunnel): the server announces its own port, which the node may not reach
        try (TcpForward forward = new TcpForward(port)) {
            OpcUaConnection c = start("tags.file", tagsFile().toString(),
                    "endpoint.url", "opc.tcp://127.0.0.1:" + forward.port() + "/fogwerk");
            awaitState(c, ConnectorState.CONNECTED);
            String first = simulator.tags().get(0).name();
            await().atMost(WAIT).until(() -> sink.latest.containsKey(first));
            // the session's connection runs through the configured port (the discovery's is closed)
            await().atMost(WAIT).until(() -> forward.open() == 1);
        }
    }

    @Test
    void aTagOnAnArrayNodeIsReadOnlyAndAWriteToItIsRefusedBeforeTheServer() throws Exception {
        // the server's NamespaceArray (String[], ValueRank 1), listed as rw by mistake
        OpcUaConnection c = start("tags.file", tagsFile("names,i=2255,,,rw,,,,").toString());
        awaitState(c, ConnectorState.CONNECTED);
        await().atMost(WAIT).until(() -> c.tags().stream().anyMatch(d -> d.name().equals("names") && !d.writable()));
        WriteResult r = c.write("names", "x").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(WriteResult.Outcome.REFUSED, r.outcome(), r.reason());
        assertTrue(r.reason().contains("holds an array (ValueRank 1)"), r.reason());
        assertTrue(sink.latest.get("names").value() instanceof String[], "read as the array it is");
    }

    @Test
    void unknownNodeIdsDegradeTheConnectionAndAreNamed() throws Exception {
        OpcUaConnection c = start("tags.file", tagsFile("ghost," + NS + "noSuchTag", "alien,nsu=urn:nowhere;s=x",
                "broken,::").toString());
        awaitState(c, ConnectorState.DEGRADED);
        String reason = c.status().reason();
        assertTrue(reason.contains("ghost") && reason.contains("Bad_NodeIdUnknown"), reason);
        assertTrue(reason.contains("alien") && reason.contains("namespace"), reason);
        assertTrue(reason.contains("line " + (simulator.tags().size() + 4)) && reason.contains("column 2"), reason);
        await().atMost(WAIT).until(() -> sink.latest.containsKey("ghost"));
        assertEquals(Quality.BAD, sink.latest.get("ghost").quality());
        // the good tags still flow
        String first = simulator.tags().get(0).name();
        await().atMost(WAIT).until(() -> sink.latest.containsKey(first)
                && sink.latest.get(first).quality() == Quality.GOOD);
    }

    @Test
    void writeAndReadBack() throws Exception {
        OpcUaConnection c = start("tags.file", tagsFile().toString());
        awaitState(c, ConnectorState.CONNECTED);
        List<SimulatedTag> setpoints = simulator.tags().stream().filter(SimulatedTag::writable).toList();
        assertFalse(setpoints.isEmpty());
        for (SimulatedTag t : setpoints) {
            TagDefinition def = c.tags().stream().filter(d -> d.name().equals(t.name())).findFirst().orElseThrow();
            Object value = def.checkWrite(sample(t.dataType()));
            WriteResult r = c.write(t.name(), value).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(WriteResult.Outcome.DONE, r.outcome(), t.name() + ": " + r.reason());
            TagValue back = c.read(t.name()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(value, back.value(), t.name());
        }
        String readOnly = simulator.tags().get(0).name();
        WriteResult refused = c.write(readOnly, true).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(WriteResult.Outcome.REFUSED, refused.outcome());
        // the server's own verdict comes back by name
        assertEquals("Bad_NotWritable", ValueMapper.statusName(c.writeNode(NS + readOnly, Boolean.TRUE, null)
                .get(5, TimeUnit.SECONDS)));
    }

    private static Object sample(DataType type) {
        switch (type) {
            case BOOLEAN:
                return Boolean.TRUE;
            case FLOAT:
            case DOUBLE:
                return 12.5;
            case STRING:
                return "hello";
            default:
                return 42L;
        }
    }

    @Test
    void serverRestartValuesBackWithoutDuplicateItems() throws Exception {
        OpcUaConnection c = start("tags.file", tagsFile().toString(), "keepalive.interval", "1000",
                "request.timeout", "2000");
        awaitState(c, ConnectorState.CONNECTED);
        int items = c.monitoredItemCount();
        assertEquals(simulator.tags().size(), items);
        simulator.deactivate();
        simulator = null;
        awaitState(c, ConnectorState.DISCONNECTED);
        // while it lasts, the reason says why and what the node does about it
        await().atMost(WAIT).until(() -> c.status().reason().contains("; nothing takes connections at " + url()
                + " (tried every 200 ms)"));

        assertBackWithinFiveSeconds(c, items);
    }

    @Test
    void whileTheServerIsAwayEveryTagIsBadWithTheReasonAndFreshValuesReplaceItWhenItIsBack() throws Exception {
        try (StandaloneCore node = new StandaloneCore()) {
            Map<String, Object> m = map("tags.file", tagsFile().toString(), "keepalive.interval", "1000",
                    "request.timeout", "2000", "endpoint.url", url(), "publishing.interval", "100",
                    "sampling.interval", "50", "reconnect.min", "200", "reconnect.max", "1000",
                    "pki.dir", dir.resolve("pki").toString(), "felix.fileinstall.filename",
                    "etc/org.fogwerk.connector.opcua-sim.cfg");
            OpcUaConnection c = connections.make(m, node.sink());
            node.add(c);
            List<String> names = c.tags().stream().map(t -> t.name()).collect(Collectors.toList());
            // a set point nobody writes never changes: only a fresh read can make it GOOD again
            String still = "setpointDouble20";
            await().atMost(WAIT).until(() -> names.stream().allMatch(t -> node.bus().latest("sim", t)
                    .map(v -> v.quality() == Quality.GOOD).orElse(false)));

            simulator.deactivate();
            simulator = null;
            await().atMost(WAIT).until(() -> names.stream().allMatch(t -> node.bus().latest("sim", t)
                    .map(v -> v.quality() == Quality.BAD).orElse(false)));
            TagValue stale = node.bus().latest("sim", still).orElseThrow();
            assertNull(stale.value());
            assertTrue(stale.qualityReason().contains("session lost") || stale.qualityReason().contains("Bad_"),
                    "the connection's reason: " + stale.qualityReason());

            simulator = TestSupport.simulator(port, 21, 4);
            await().atMost(WAIT).until(() -> simulator.status().running());
            await().atMost(WAIT).until(() -> names.stream().allMatch(t -> node.bus().latest("sim", t)
                    .map(v -> v.quality() == Quality.GOOD).orElse(false)));
            assertEquals(1, c.status().reconnects());
        }
    }

    @Test
    void unreachableEndpointRetriesWithoutBlocking() {
        int deadPort = FreePorts.next();
        long t0 = System.nanoTime();
        OpcUaConnection c = start("endpoint.url", "opc.tcp://127.0.0.1:" + deadPort + "/fogwerk", "tags", "a=i=2258");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1000, "activation must not block");
        awaitState(c, ConnectorState.DISCONNECTED);
        assertTrue(c.status().reason().length() > 0);
        // reads fail fast with the reason instead of hanging
        assertTrue(c.read("a").toCompletableFuture().isCompletedExceptionally());
        // the type of a tag is the server's: until it has been read, it is not known, and a write
        // (a desired state among them) cannot be checked against it
        TagDefinition a = c.tags().get(0);
        assertFalse(a.typeKnown(), a.toString());
        assertEquals("UNKNOWN", a.typeName());
    }

    @Test
    void badConfigFailsWithFileAndKey() {
        OpcUaConnection c = start("security.policy", "Basic256Sha256", "security.mode", "None", "tags", "a=i=2258");
        assertEquals(ConnectorState.FAILED, c.status().state());
        assertTrue(c.status().reason().contains("org.fogwerk.connector.opcua-sim.cfg"), c.status().reason());
        assertTrue(c.status().reason().contains("security.mode"), c.status().reason());
        assertEquals("sim", c.id());
        assertTrue(c.tags().isEmpty());
    }

    @Test
    void browseShowsTheMachineFolderAndItsVariables() throws Exception {
        OpcUaConnection c = start("tags", "state=i=2259");
        awaitState(c, ConnectorState.CONNECTED);
        List<BrowseNode> root = c.browse(null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        BrowseNode machine = root.stream().filter(n -> n.browseName().endsWith("Machine")).findFirst().orElseThrow();
        assertEquals("Object", machine.nodeClass());
        assertTrue(machine.hasChildren());
        List<BrowseNode> children = c.browse(machine.nodeId()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<BrowseNode> vars = children.stream().filter(n -> n.nodeClass().equals("Variable"))
                .collect(Collectors.toList());
        assertEquals(simulator.tags().size(), vars.size());
        assertEquals(List.of(NS + "Machine/ResetCounters", NS + "Machine/SetSetpoint"), children.stream()
                .filter(n -> n.nodeClass().equals("Method")).map(BrowseNode::nodeId).sorted()
                .collect(Collectors.toList()));
        BrowseNode first = vars.stream().filter(v -> v.nodeId().equals(NS + "sineBoolean01")).findFirst()
                .orElseThrow(() -> new AssertionError(vars.toString()));
        assertEquals("Variable", first.nodeClass());
        assertEquals("Boolean", first.dataType());
        assertEquals("r", first.accessLevel());
        assertTrue(vars.stream().anyMatch(v -> "rw".equals(v.accessLevel())));
        // the server state variable reads as a Long (enumeration), read-only
        TagValue state = c.read("state").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(0L, state.value());
        assertNull(state.qualityReason());
    }

    @Test
    void exportWritesATagsFileThatWorksAsIs() throws Exception {
        OpcUaConnection c = start("tags", "state=i=2259");
        awaitState(c, ConnectorState.CONNECTED);
        String machineFolder = c.browse(null).toCompletableFuture().get(5, TimeUnit.SECONDS).stream()
                .filter(n -> n.browseName().endsWith("Machine")).findFirst().orElseThrow().nodeId();
        List<String> lines = TagExporter.export(c, machineFolder).get(10, TimeUnit.SECONDS);
        assertEquals(simulator.tags().size() + 1, lines.size(), lines.toString());
        // node ids hold ';': quoted, so the file reads the same whether a spreadsheet takes ',' or ';'
        assertTrue(lines.contains("setpointDouble20,\"" + NS + "setpointDouble20\",,,rw,,,,Double"), lines.toString());
        assertTrue(lines.contains("sineDouble06,\"" + NS + "sineDouble06\",,,r,,,,Double"), lines.toString());
        Path file = dir.resolve("export.csv");
        Files.write(file, lines);

        OpcUaConnection fromExport = start("tags.file", file.toString(), "name", "exported");
        awaitState(fromExport, ConnectorState.CONNECTED);
        assertEquals(lines.size() - 1, fromExport.tags().size());
        await().atMost(WAIT).until(() -> sink.values.stream().anyMatch(v -> v.connectionId().equals("exported")
                && v.tag().equals("sineDouble06") && v.value() instanceof Double));
    }

    @Test
    void longOutageValuesBackWithinFiveSeconds() throws Exception {
        OpcUaConnection c = start("tags.file", tagsFile().toString(), "keepalive.interval", "1000",
                "request.timeout", "2000", "reconnect.min", "500", "reconnect.max", "2000");
        awaitState(c, ConnectorState.CONNECTED);
        int items = c.monitoredItemCount();
        simulator.deactivate();
        simulator = null;
        awaitState(c, ConnectorState.DISCONNECTED);
        // long enough for Milo's own session retry wait to grow to 8 s; the status must stay down
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9))
                .until(() -> c.status().state() == ConnectorState.DISCONNECTED);

        assertBackWithinFiveSeconds(c, items);
    }

    /**
     * Starts the simulator again and asserts that good values come back within 5 s, the connection
     * counts one reconnect and monitors the {@code items} it monitored before.
     */
    private void assertBackWithinFiveSeconds(OpcUaConnection c, int items) throws Exception {
        simulator = TestSupport.simulator(port, 21, 4);
        await().atMost(WAIT).until(() -> simulator.status().running());
        long back = System.nanoTime();
        int seen = sink.values.size();
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.values.subList(seen, sink.values.size()).stream()
                .anyMatch(v -> v.tag().equals("rampInt1602") && v.quality() == Quality.GOOD));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
        assertTrue(ms < 5000, "values back after " + ms + " ms");
        awaitState(c, ConnectorState.CONNECTED);
        assertEquals(1, c.status().reconnects());
        assertEquals(items, c.monitoredItemCount());
    }

    @Test
    void dataCountsAsKeepAlive() throws Exception {
        OpcUaConnection quiet = start("tags", "state=i=2259", "name", "quiet", "keepalive.interval", "1000",
                "publishing.interval", "100");
        OpcUaConnection busy = start("tags.file", tagsFile().toString(), "name", "busy", "keepalive.interval", "1000",
                "publishing.interval", "100");
        awaitState(quiet, ConnectorState.CONNECTED);
        awaitState(busy, ConnectorState.CONNECTED);
        // a connection without changing values checks the server itself ...
        await().atMost(WAIT).until(() -> quiet.keepAliveReads() >= 2);
        // ... one whose data flows every 100 ms never needs to, and never reconnects
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .until(() -> busy.keepAliveReads() == 0 && busy.status().state() == ConnectorState.CONNECTED);
        assertEquals(0, busy.status().reconnects());
        assertEquals(0, quiet.status().reconnects());
    }

    @Test
    void absoluteDeadbandFiltersSmallChangesAndSparesTextTags() throws Exception {
        OpcUaConnection c = start("tags.file", tagsFile().toString(), "deadband.type", "absolute",
                "deadband.value", "1000000");
        awaitState(c, ConnectorState.CONNECTED);
        // text and boolean tags are monitored without a filter and keep changing
        await().atMost(WAIT).until(() -> sink.of("rampString07").size() > 3);
        // a ramp never moves by a million: after its first value nothing more comes
        int ramp = sink.of("rampInt1602").size();
        assertEquals(1, ramp);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> sink.of("rampInt1602").size() == 1);
    }
}
