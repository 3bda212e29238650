package org.fogwerk.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.DataType;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult.Outcome;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.testing.TestMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectorRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PressOnTheBus node = new PressOnTheBus();
    private final TagBusImpl bus = node.bus;
    private final ConnectorRegistryImpl registry = node.connectors;
    private final TestMachine press = node.press;

    @AfterEach
    void stop() {
        node.close();
    }

    private WriteResult write(String id, String tag, Object value) throws Exception {
        return registry.write(id, tag, value).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void findsATagByNameAndFollowsAConnectionWhoseTagsChange() {
        List<List<TagDefinition>> lists = List.of(List.of(TagDefinition.readOnly("a", "30001", DataType.INT16)),
                List.of(TagDefinition.readOnly("b", "30002", DataType.FLOAT)));
        int[] current = {0};
        TestMachine changing = new TestMachine("changing") {
            @Override
            public List<TagDefinition> tags() {
                return lists.get(current[0]);
            }
        };
        registry.addConnector(changing);
        assertEquals("30001", registry.tag("changing", "a").orElseThrow().address());
        assertTrue(registry.tag("changing", "b").isEmpty());
        current[0] = 1;
        assertTrue(registry.tag("changing", "a").isEmpty(), "a tag the connection no longer has");
        assertEquals(DataType.FLOAT, registry.tag("changing", "b").orElseThrow().dataType());
        assertTrue(registry.tag("nosuchconnection", "a").isEmpty());
        assertTrue(registry.tag("changing", null).isEmpty());
    }

    @Test
    void passesACheckedAndConvertedWriteToTheConnector() throws Exception {
        assertEquals(Outcome.DONE, write("press01", "speed", "1200").outcome());
        assertEquals(List.of(1200L), press.written);
    }

    @Test
    void refusesWritesThatBreakTheTagDefinitionWithoutTouchingTheMachine() throws Exception {
        WriteResult tooHigh = write("press01", "speed", 5000);
        assertEquals(Outcome.REFUSED, tooHigh.outcome());
        assertTrue(tooHigh.reason().contains("above the maximum"), tooHigh.reason());
        assertEquals(Outcome.REFUSED, write("press01", "speed", 1.5).outcome());
        assertEquals(Outcome.REFUSED, write("press01", "speed", "fast").outcome());
        WriteResult readOnly = write("press01", "temperature", 20);
        assertTrue(readOnly.reason().contains("read-only"), readOnly.reason());
        assertEquals(Outcome.REFUSED, write("press01", "nosuchtag", 1).outcome());
        assertEquals(Outcome.REFUSED, write("nosuchconnection", "speed", 1).outcome());
        assertTrue(press.written.isEmpty());
    }

    @Test
    void listsConnectionsWithStatusAndBusCounters() {
        registry.addConnector(new TestMachine("line2"));
        bus.publish(TagValue.good("press01", "speed", 10L));

        assertEquals(List.of("line2", "press01"), registry.connectors().stream().map(c -> c.id()).toList());
        assertEquals(ConnectorState.CONNECTED, registry.connector("press01").orElseThrow().status().state());
        assertEquals(1, registry.connector("press01").orElseThrow().valuesIn());
        assertEquals(2, registry.connector("press01").orElseThrow().tagCount());
    }

    @Test
    void listsASecondConnectionWithTheSameNameAsFailedAndKeepsTheFirstAfterTheSecondIsDeleted() {
        registry.removeConnector(press);
        // as DS binds them, with the service properties the connectors register
        registry.bindConnector(press, Map.of(ConfigurationNames.FILE_PROPERTY,
                "file:/opt/fogwerk/etc/org.fogwerk.connector.opcua-press01.cfg"));
        TestMachine duplicate = new TestMachine("press01");
        registry.bindConnector(duplicate, Map.of(ConfigurationNames.FILE_PROPERTY,
                "file:/opt/fogwerk/etc/org.fogwerk.connector.modbus-copy.cfg"));

        List<ConnectorInfo> listed = registry.connectors();
        assertEquals(2, listed.size(), listed.toString());
        assertEquals(ConnectorState.CONNECTED, listed.get(0).status().state(), "the working one stays listed first");
        assertEquals(ConnectorState.FAILED, listed.get(1).status().state());
        assertTrue(listed.get(1).status().reason().startsWith(
                "duplicate name, file etc/org.fogwerk.connector.modbus-copy.cfg"), listed.get(1).status().reason());
        assertTrue(listed.get(1).status().reason().endsWith("press01 is already the connection of "
                + "etc/org.fogwerk.connector.opcua-press01.cfg"), listed.get(1).status().reason());
        assertEquals(ConnectorState.CONNECTED, registry.connector("press01").orElseThrow().status().state());

        registry.removeConnector(duplicate);
        assertEquals(1, registry.connectors().size());
        assertEquals(ConnectorState.CONNECTED, registry.connectors().get(0).status().state());
        assertTrue(registry.connector("press01").isPresent());

        registry.removeConnector(press);
        assertTrue(registry.connector("press01").isEmpty());
        assertTrue(registry.connectors().isEmpty());
    }

    @Test
    void aDuplicateTakesTheNameOverWhenTheFirstIsDeleted() throws Exception {
        TestMachine duplicate = new TestMachine("press01");
        registry.addConnector(duplicate, Map.of(ConfigurationNames.FILE_PROPERTY, "etc/b.cfg"));
        registry.removeConnector(press);
        assertEquals(1, registry.connectors().size());
        assertEquals(ConnectorState.CONNECTED, registry.connectors().get(0).status().state());
        write("press01", "speed", 5);
        assertEquals(List.of(5L), duplicate.written, "writes now reach the remaining connection");
    }

    private long valuesIn(String id) {
        Counters c = bus.connections().get(id);
        return c == null ? 0 : c.in();
    }

    @Test
    void aLostConnectionTurnsEveryTagBadOnceWithItsReasonWhateverTheProtocol() {
        bus.publish(TagValue.good("press01", "speed", 10L));
        bus.publish(TagValue.good("press01", "temperature", 21.5));
        await().atMost(WAIT).until(() -> bus.latest("press01").size() == 2);

        press.status = ConnectorStatus.of(ConnectorState.DISCONNECTED, "connection lost: reset by peer");
        await().atMost(WAIT).until(() -> bus.latest("press01").stream().allMatch(v -> v.quality() == Quality.BAD));
        for (TagValue v : bus.latest("press01")) {
            assertEquals("connection lost: reset by peer", v.qualityReason());
            assertEquals(null, v.value());
        }
        assertEquals(4, valuesIn("press01"));
        // the reason changes while it stays down (retries): nothing more is published
        press.status = ConnectorStatus.of(ConnectorState.DISCONNECTED, "cannot connect: refused; retrying in 800 ms");
        await().during(Duration.ofMillis(2500)).atMost(WAIT).until(() -> valuesIn("press01") == 4);

        // back: the connector's fresh values replace the BAD ones, and the next loss is published again
        press.status = ConnectorStatus.of(ConnectorState.CONNECTED, "");
        bus.publish(TagValue.good("press01", "speed", 11L));
        bus.publish(TagValue.good("press01", "temperature", 21.6));
        await().atMost(WAIT).until(() -> bus.latest("press01").stream().allMatch(v -> v.quality() == Quality.GOOD));
        await().pollDelay(Duration.ofMillis(1500)).atMost(WAIT).until(() -> true);
        press.status = ConnectorStatus.of(ConnectorState.FAILED, "certificate not trusted");
        await().atMost(WAIT).until(() -> valuesIn("press01") == 8);
        assertEquals("certificate not trusted", bus.latest("press01", "speed").orElseThrow().qualityReason());
    }

    @Test
    void aConnectionThatFailsWithoutTagsOrGoesAwayLeavesNoValueGood() {
        bus.publish(TagValue.good("press01", "speed", 10L));
        // a tag of the connection's previous configuration, which its new one (FAILED) no longer defines
        bus.publish(TagValue.good("press01", "retired", 1L));
        await().atMost(WAIT).until(() -> bus.latest("press01").size() == 2);
        press.status = ConnectorStatus.of(ConnectorState.FAILED, "transport = tcpx is invalid");
        await().atMost(WAIT).until(() -> bus.latest("press01").stream().allMatch(v -> v.quality() == Quality.BAD));
        assertEquals("transport = tcpx is invalid", bus.latest("press01", "retired").orElseThrow().qualityReason());

        TestMachine other = new TestMachine("mill01");
        registry.addConnector(other);
        bus.publish(TagValue.good("mill01", "spindle", 1200L));
        await().atMost(WAIT).until(() -> bus.latest("mill01").size() == 1);
        registry.removeConnector(other);
        await().atMost(WAIT).until(() -> bus.latest("mill01", "spindle").orElseThrow().quality() == Quality.BAD);
        assertEquals("connection removed: its configuration was deleted or changed",
                bus.latest("mill01", "spindle").orElseThrow().qualityReason());
    }

    @Test
    void tagsTheConnectorAlreadyReportedBadAreNotPublishedAgain() {
        bus.publish(TagValue.bad("press01", "speed", "Modbus exception 2 (illegal data address)"));
        await().atMost(WAIT).until(() -> bus.latest("press01").size() == 1);

        press.status = ConnectorStatus.of(ConnectorState.DISCONNECTED, "connection lost");
        await().atMost(WAIT).until(() -> bus.latest("press01").size() == 2);
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> valuesIn("press01") == 2);
        assertEquals("Modbus exception 2 (illegal data address)",
                bus.latest("press01", "speed").orElseThrow().qualityReason());
        assertEquals("connection lost", bus.latest("press01", "temperature").orElseThrow().qualityReason());
    }

    /** A connector with one method that echoes its arguments, fails on "broken" and throws on "throwing". */
    static final class CallingConnector extends TestMachine {
        final List<List<Object>> calls = new ArrayList<>();

        CallingConnector(String id) {
            super(id);
        }

        @Override
        public boolean canCall() {
            return true;
        }

        @Override
        public CompletionStage<CallResult> call(String objectId, String methodId, List<Object> arguments) {
            calls.add(arguments);
            if (methodId.equals("broken")) {
                return CompletableFuture.failedFuture(new IllegalStateException("machine on fire"));
            }
            if (methodId.equals("throwing")) {
                throw new IllegalStateException("connector bug");
            }
            return CompletableFuture.completedFuture(CallResult.done(id(), methodId, arguments));
        }
    }

    private CallResult call(String id, String method, List<Object> arguments) throws Exception {
        return registry.call(id, "machine", method, arguments).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void passesMethodCallsToTheConnectorAndReturnsItsOutputs() throws Exception {
        CallingConnector cnc = new CallingConnector("cnc01");
        registry.addConnector(cnc);

        CallResult result = call("cnc01", "echo", List.of("a", 2L));

        assertEquals(Outcome.DONE, result.outcome());
        assertEquals(List.of("a", 2L), result.outputs());
        assertEquals("", result.reason());
        assertEquals(List.of(List.of("a", 2L)), cnc.calls);
        assertEquals(Outcome.DONE, call("cnc01", "echo", null).outcome(), "null arguments mean none");
        assertEquals(List.of(), cnc.calls.get(1));
    }

    @Test
    void turnsConnectorFailuresIntoFailedCallsThatNeverCompleteExceptionally() throws Exception {
        registry.addConnector(new CallingConnector("cnc01"));

        CallResult failed = call("cnc01", "broken", List.of());
        assertEquals(Outcome.FAILED, failed.outcome());
        assertEquals("machine on fire", failed.reason());
        CallResult thrown = call("cnc01", "throwing", List.of());
        assertEquals(Outcome.FAILED, thrown.outcome());
        assertEquals("connector bug", thrown.reason());
    }

    @Test
    void refusesCallsToUnknownConnectionsAndConnectorsWithoutMethods() throws Exception {
        CallResult unknown = call("nosuchconnection", "echo", List.of());
        assertEquals(Outcome.REFUSED, unknown.outcome());
        assertTrue(unknown.reason().contains("no connection named nosuchconnection"), unknown.reason());

        assertFalse(press.canCall());
        CallResult noMethods = call("press01", "echo", List.of(1L));
        assertEquals(Outcome.REFUSED, noMethods.outcome());
        assertEquals("test connections cannot call methods", noMethods.reason());
        assertEquals(List.of(), noMethods.outputs());
    }
}
