package org.fogwerk.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.WriteGatewayImpl;
import org.fogwerk.core.internal.authority.WritePolicy;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.TestMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** Every entry point's request through the real gateway, thing registry and shadow store. */
class WriteGatewayTest {

    private static final Caller OPERATOR = Caller.user(Source.SHELL, "olga", Set.of(Roles.OPERATOR));
    private static final Caller VIEWER = Caller.user(Source.REST, "vic", Set.of(Roles.VIEWER));
    private static final Caller MQTT = Caller.of(Source.MQTT_COMMAND, "uplink local, topic fogwerk/n1/command/press01");
    private static final String NODE = "hall3";
    private static final String ORDER = "{\"state\":{\"desired\":{\"features\":{\"fogwerk-connector-modbus\":\"1.2.0\"}}}}";
    private static final Caller ADMIN = Caller.user(Source.SHELL, "ada", Set.of(Roles.ADMIN));

    @TempDir
    Path dir;
    private final PressOnTheBus node = new PressOnTheBus();
    private final ConnectorRegistryImpl connectors = node.connectors;
    private final TestMachine press = node.press;
    private ThingRegistryImpl things;
    private ShadowStoreImpl store;
    private MemoryAuditTrail audit;
    private WritePolicyService policy;
    private CommandOrigins origins;
    private WriteGatewayImpl gateway;
    /** A registry and gateway of a node with an id, so with a node shadow of its own. */
    private ThingRegistryImpl nodeThings;
    private WriteGatewayImpl nodeGateway;

    @BeforeEach
    void start() throws Exception {
        things = new ThingRegistryImpl(connectors);
        store = ShadowStores.open(dir);
        audit = new MemoryAuditTrail();
        policy = new WritePolicyService();
        origins = new CommandOrigins();
        gateway = new WriteGatewayImpl(things, connectors, store, audit, policy, origins);
        nodeThings = new ThingRegistryImpl(connectors, "{node}-{connection}", NODE);
        nodeGateway = new WriteGatewayImpl(nodeThings, connectors, store, audit, policy, origins, NODE);
    }

    @AfterEach
    void stop() {
        store.close();
        node.close();
    }

    private void policy(String... lines) throws Exception {
        policy.set(WritePolicy.parse(List.of(lines)));
    }

    private WriteResult write(Caller c, String tag, Object value) throws Exception {
        return gateway.write(c, "press01", tag, value).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private byte[] update(Caller c, String thing, String json) throws ShadowException {
        return gateway.updateShadow(c, thing, "", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOperatorWritesAndTheTrailHoldsTheRequestBeforeItsOutcome() throws Exception {
        WriteResult r = write(OPERATOR, "speed", 1200);
        assertEquals(WriteResult.Outcome.DONE, r.outcome(), r.reason());
        assertEquals(List.of(1200L), press.written);
        List<AuditEvent> events = audit.events();
        assertEquals(2, events.size());
        assertEquals(new AuditEvent("write", "shell", "olga", "press01", "press01/speed", "1200", "accepted", ""),
                events.get(0));
        assertEquals("done", events.get(1).outcome());
    }

    @Test
    void aViewerIsRefusedNamingTheRoleItNeedsAndNothingIsWritten() throws Exception {
        WriteResult r = write(VIEWER, "speed", 1200);
        assertEquals(WriteResult.Outcome.DENIED, r.outcome());
        assertEquals("this needs the role operator; user 'vic' has the roles viewer", r.reason());
        assertTrue(press.written.isEmpty());
        assertEquals("denied", audit.events().get(0).outcome());
        assertEquals("rest", audit.events().get(0).source());

        ShadowException e = assertThrows(ShadowException.class, () -> update(VIEWER, "press01",
                "{\"state\":{\"desired\":{\"speed\":5}}}"));
        assertEquals(403, e.code());
        CallResult c = gateway.call(VIEWER, "press01", "o", "m", List.of()).toCompletableFuture().get();
        assertEquals(WriteResult.Outcome.DENIED, c.outcome());
    }

    @Test
    void aMethodCallIsRecordedUnderTheThingOfItsConnectionsTags() throws Exception {
        ThingRegistryImpl named = new ThingRegistryImpl(connectors, "{node}-{connection}", "n1");
        WriteGatewayImpl g = new WriteGatewayImpl(named, connectors, store, audit, policy, origins);
        assertEquals(WriteResult.Outcome.DENIED,
                g.call(VIEWER, "press01", "o", "m", List.of()).toCompletableFuture().get().outcome());
        AuditEvent e = audit.events().get(audit.events().size() - 1);
        assertEquals("call", e.kind());
        assertEquals("n1-press01", e.thing(), "found by audit-list --thing with the connection's writes");
        assertEquals("press01/o/m", e.target());
    }

    @Test
    void aValueThatDoesNotFitIsRefusedBeforeItIsAccepted() throws Exception {
        WriteResult r = write(OPERATOR, "speed", 9000);
        assertEquals(WriteResult.Outcome.REFUSED, r.outcome());
        assertTrue(r.reason().contains("above the maximum 3000"), r.reason());
        assertEquals(WriteResult.Outcome.REFUSED, write(OPERATOR, "temperature", 20).outcome(), "read-only");
        assertEquals(WriteResult.Outcome.REFUSED, write(OPERATOR, "nope", 1).outcome());
        assertTrue(press.written.isEmpty());
        assertTrue(audit.events().stream().allMatch(e -> e.outcome().equals("refused")));
    }

    @Test
    void remoteSourcesAreDeniedUntilThePolicyAllowsThem() throws Exception {
        WriteResult r = write(Caller.of(Source.SPARKPLUG, "DCMD press01"), "speed", 10);
        assertEquals(WriteResult.Outcome.DENIED, r.outcome());
        assertEquals("sparkplug may not write press01/speed (etc/org.fogwerk.security.writes.cfg)", r.reason());
        ShadowException e = assertThrows(ShadowException.class, () -> update(MQTT, "press01",
                "{\"state\":{\"desired\":{\"speed\":5}}}"));
        assertEquals(403, e.code());
        assertTrue(e.getMessage().contains("mqtt-command may not"), e.getMessage());
        assertTrue(store.things().isEmpty(), "a refused request creates nothing");

        policy("mqtt-command.allow = press01/*", "mqtt-command.create = true", "sparkplug.allow = press01/speed");
        assertEquals(WriteResult.Outcome.DONE, write(Caller.of(Source.SPARKPLUG, "DCMD press01"), "speed", 10).outcome());
        String answer = new String(update(MQTT, "press01", "{\"state\":{\"desired\":{\"speed\":5}},\"clientToken\":\"t1\"}"),
                StandardCharsets.UTF_8);
        assertTrue(answer.contains("\"clientToken\":\"t1\""), answer);
        AuditEvent last = audit.events().get(audit.events().size() - 1);
        assertEquals("desired", last.kind());
        assertEquals("accepted", last.outcome());
        assertEquals("mqtt-command", last.source());
        assertEquals("clientToken t1", last.detail());
    }

    @Test
    void aRemoteRequestForAThingOfAnotherNodeGetsNotFoundAndCreatesNothing() throws Exception {
        policy("mqtt-command.allow = **", "mqtt-command.create = true", "aws-local.allow = **", "aws-local.create = true");
        assertFalse(gateway.owns("press99"));
        ShadowException e = assertThrows(ShadowException.class, () -> update(MQTT, "press99",
                "{\"state\":{\"reported\":{\"x\":5}}}"));
        assertEquals(404, e.code());
        e = assertThrows(ShadowException.class, () -> gateway.deleteShadow(Caller.of(Source.AWS_LOCAL, "c"), "press99", "",
                null, "tok"));
        assertEquals(404, e.code());
        assertEquals("tok", e.clientToken());
        assertFalse(store.things().contains("press99"));
        assertTrue(gateway.owns("press01"), "an implicit thing of a connection is the node's own");
    }

    @Test
    void remoteSourcesCreateShadowsOnlyWhereThePolicySaysSo() throws Exception {
        policy("aws-local.allow = press01/**");
        Caller aws = Caller.of(Source.AWS_LOCAL, "$aws/things/press01/shadow/name/recipes/update");
        ShadowException e = assertThrows(ShadowException.class, () -> gateway.updateShadow(aws, "press01", "recipes",
                "{\"state\":{\"reported\":{\"a\":1}}}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(403, e.code());
        assertTrue(e.getMessage().contains("may not create shadows"), e.getMessage());
        assertTrue(store.shadows("press01").isEmpty());
    }

    @Test
    void desiredStateIsCheckedAgainstTheMappedTagsBeforeItIsAccepted() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.thing-pressA.cfg");
        props.put("name", "pressA");
        props.put("map.spindle.speed", "press01/speed");
        props.put("map.temp", "press01/temperature");
        things.addSource(new ThingSource(Converters.standardConverter().convert(props).to(ThingConfig.class), props));

        ShadowException e = assertThrows(ShadowException.class, () -> update(OPERATOR, "pressA",
                "{\"state\":{\"desired\":{\"spindle\":{\"speed\":9000}}}}"));
        assertEquals(400, e.code());
        assertEquals("desired.spindle.speed: tag speed: 9000 is above the maximum 3000.0", e.getMessage());
        e = assertThrows(ShadowException.class, () -> update(OPERATOR, "pressA", "{\"state\":{\"desired\":{\"temp\":1}}}"));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        e = assertThrows(ShadowException.class, () -> update(OPERATOR, "pressA", "{\"state\":{\"desired\":{\"colour\":1}}}"));
        assertEquals("desired.colour: thing 'pressA' has no field 'colour' that maps to a machine tag", e.getMessage());
        e = assertThrows(ShadowException.class, () -> update(OPERATOR, "pressA",
                "{\"state\":{\"desired\":{\"spindle\":{\"speed\":\"fast\"}}}}"));
        assertEquals(400, e.code());
        e = assertThrows(ShadowException.class, () -> update(OPERATOR, "pressA", "{\"state\": {\"desired\": }"));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().startsWith("Invalid JSON: unexpected '}' at line 1, column 23"), e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage());
        e = assertThrows(ShadowException.class, () -> update(OPERATOR, "pressA",
                "{\"state\":{\"desired\":{\"a\":1}"));
        assertFalse(e.getMessage().contains("Source") || e.getMessage().contains("marker"), e.getMessage());
        byte[] latin1 = "{\"state\":{\"desired\":{\"name\":\"\u00ff\"}}}".getBytes(StandardCharsets.ISO_8859_1);
        e = assertThrows(ShadowException.class, () -> gateway.updateShadow(OPERATOR, "pressA", "", latin1));
        assertEquals(415, e.code(), "as the shadow store answers text that is not UTF-8");
        assertTrue(store.things().isEmpty(), "nothing refused reached the store");

        update(OPERATOR, "pressA", "{\"state\":{\"desired\":{\"spindle\":{\"speed\":1500}}}}");
        assertEquals("{speed=1500}", String.valueOf(store.get("pressA", "").desired().get("spindle")));
    }

    @Test
    void noClientOfABrokerReportsWhatAMachineReads() throws Exception {
        policy("mqtt-command.allow = press01/*, pressA/**", "aws-local.allow = press01/*", "aws-cloud.allow = press01/*");
        store.update("press01", "", ShadowUpdate.reported(Map.of("speed", 250)));
        long version = store.get("press01", "").version();

        ShadowException e = assertThrows(ShadowException.class, () -> update(MQTT, "press01",
                "{\"state\":{\"reported\":{\"speed\":700}},\"clientToken\":\"forge\"}"));
        assertEquals(403, e.code());
        assertEquals("reported.speed: this is what tag press01/speed reads; mqtt-command may not report it", e.getMessage());
        assertEquals("forge", e.clientToken());
        e = assertThrows(ShadowException.class, () -> update(MQTT, "press01", "{\"state\":{\"reported\":null}}"));
        assertEquals(403, e.code());
        assertTrue(e.getMessage().startsWith("reported: the reported state of thing 'press01' holds what its machines read"),
                e.getMessage());
        e = assertThrows(ShadowException.class, () -> gateway.updateShadow(Caller.of(Source.AWS_LOCAL, "$aws"), "press01",
                "", ShadowUpdate.reported(Map.of("temperature", 20.5))));
        assertEquals(403, e.code());
        assertEquals(version, store.get("press01", "").version(), "nothing refused reached the store");
        assertEquals(250L, ((Number) store.get("press01", "").reported().get("speed")).longValue());
        AuditEvent last = audit.events().get(audit.events().size() - 1);
        assertEquals("denied", last.outcome());
        assertEquals("reported", last.kind());
        assertTrue(last.detail().startsWith("403 reported.temperature: this is what tag press01/temperature reads;"
                + " aws-local may not report it"),
                last.detail());
        // a field no tag feeds stays the policy's to decide
        update(MQTT, "press01", "{\"state\":{\"reported\":{\"operatorNote\":\"checked\"}}}");
        assertEquals("checked", store.get("press01", "").reported().get("operatorNote"));
        // the cloud shadow sync, which an administrator set up per thing, brings the cloud's changes down
        gateway.updateShadow(Caller.of(Source.AWS_CLOUD, "uplink cloud"), "press01", "",
                ShadowUpdate.reported(Map.of("speed", 260)));
        assertEquals(260L, ((Number) store.get("press01", "").reported().get("speed")).longValue());

        // a thing file's nested field: neither the field, nor the object holding it
        Map<String, Object> props = new HashMap<>();
        props.put("name", "pressA");
        props.put("map.spindle.speed", "press01/speed");
        things.addSource(new ThingSource(Converters.standardConverter().convert(props).to(ThingConfig.class), props));
        store.update("pressA", "", ShadowUpdate.reported(Map.of("spindle", Map.of("speed", 250))));
        for (String forged : List.of("{\"spindle\":{\"speed\":7}}", "{\"spindle\":7}", "{\"spindle\":null}")) {
            e = assertThrows(ShadowException.class, () -> update(MQTT, "pressA",
                    "{\"state\":{\"reported\":" + forged + "}}"));
            assertEquals(403, e.code(), forged);
            assertTrue(e.getMessage().endsWith("this is what tag press01/speed reads; mqtt-command may not report it"),
                    e.getMessage());
        }
        update(MQTT, "pressA", "{\"state\":{\"reported\":{\"shift\":\"B\"}}}");
        assertEquals("B", store.get("pressA", "").reported().get("shift"));
        // a logged-in operator may
        update(OPERATOR, "pressA", "{\"state\":{\"reported\":{\"spindle\":{\"speed\":260}}}}");
        assertEquals("{speed=260}", String.valueOf(store.get("pressA", "").reported().get("spindle")));
    }

    @Test
    void desiredStateHasTheJsonKindTheMachineReportsOrTheDeltaWouldNeverClear() throws Exception {
        ShadowException e = assertThrows(ShadowException.class, () -> update(OPERATOR, "press01",
                "{\"state\":{\"desired\":{\"speed\":\"700\"}}}"));
        assertEquals(400, e.code());
        assertEquals("desired.speed: tag speed is int16: send a JSON number, not the text '700' (the machine reports"
                + " a JSON number, so anything else would never match it)", e.getMessage());
        assertTrue(store.things().isEmpty(), "nothing refused reached the store");
        update(OPERATOR, "press01", "{\"state\":{\"desired\":{\"speed\":700}}}");
        assertEquals(700L, ((Number) store.get("press01", "").desired().get("speed")).longValue());
    }

    @Test
    void aLargeMachinesSetPointsReportInTheClassicShadowAndDesiredStateGoesWhereItsFieldReports() throws Exception {
        TestMachine mill = TestMachine.withSetPointsLast("mill", 40);
        connectors.addConnector(mill);
        // a shadow budget of about one set point: the set points come first, then the rest
        ThingRegistryImpl large = new ThingRegistryImpl(connectors, "{connection}", "", 20);
        assertEquals("", large.targets("mill", "setA").get(0).shadow());
        assertEquals("tags-2", large.targets("mill", "setB").get(0).shadow());
        assertEquals("tags-3", large.targets("mill", "temp0").get(0).shadow());

        WriteGatewayImpl door = new WriteGatewayImpl(large, connectors, store, audit, policy, origins);
        CommandDispatcher dispatcher = new CommandDispatcher(large, connectors, audit, origins, policy);
        Runnable unlisten = ShadowStores.listen(store, dispatcher);
        try {
            ShadowException e = assertThrows(ShadowException.class, () -> door.updateShadow(OPERATOR, "mill", "",
                    "{\"state\":{\"desired\":{\"setB\":50}}}".getBytes(StandardCharsets.UTF_8)));
            assertEquals(400, e.code());
            assertEquals("desired.setB: tag mill/setB reports in shadow tags-2 of thing 'mill': set its desired state"
                    + " there", e.getMessage());
            e = assertThrows(ShadowException.class, () -> door.updateShadow(OPERATOR, "mill", "tags-2",
                    "{\"state\":{\"desired\":{\"setB\":500}}}".getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("above the maximum"), "checked in its own shadow: " + e.getMessage());

            door.updateShadow(OPERATOR, "mill", "tags-2", "{\"state\":{\"desired\":{\"setB\":50}}}"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> mill.written.equals(List.of(50L)));
            door.updateShadow(OPERATOR, "mill", "", "{\"state\":{\"desired\":{\"setA\":7}}}"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> mill.written.equals(List.of(50L, 7L)));
        } finally {
            unlisten.run();
            dispatcher.deactivate();
        }
    }

    @Test
    void aRetainedRequestIsRefusedCountedAndOnRecord() throws Exception {
        policy("mqtt-command.allow = press01/*");
        ShadowException e = gateway.refuseRetained(MQTT, "press01", "",
                "{\"state\":{\"desired\":{\"speed\":700}},\"clientToken\":\"old\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, e.code());
        assertEquals("old", e.clientToken());
        assertTrue(e.getMessage().startsWith("a retained message is not carried out"), e.getMessage());
        AuditEvent last = audit.events().get(audit.events().size() - 1);
        assertEquals("refused", last.outcome());
        assertEquals("mqtt-command", last.source());
        assertEquals("desired", last.kind());
        assertTrue(last.detail().startsWith("400 a retained message"), last.detail());
        assertEquals(1, gateway.counters().stream().filter(c -> c.source() == Source.MQTT_COMMAND)
                .mapToLong(c -> c.refused()).sum());
        assertFalse(store.things().contains("press01"), "nothing reached the store");
        assertTrue(press.written.isEmpty());
    }

    @Test
    void aWriteItsChannelRefusedIsCountedAndOnRecordAsIfRefusedHere() {
        gateway.refused(Caller.user(Source.REST, "vera", Set.of("viewer")), AuditEvent.KIND_WRITE, "press01",
                "speed", 403, "user vera has the roles [viewer]; this needs operator");
        gateway.refused(MQTT, AuditEvent.KIND_DESIRED, "press01", "", 413, "the payload has 9000 bytes, more than 8192");
        AuditEvent denied = audit.events().get(audit.events().size() - 2);
        assertEquals(List.of("write", "rest", "vera", "press01", "press01/speed", "denied"), List.of(denied.kind(),
                denied.source(), denied.identity(), denied.thing(), denied.target(), denied.outcome()));
        assertTrue(denied.detail().startsWith("403 user vera"), denied.detail());
        AuditEvent refused = audit.events().get(audit.events().size() - 1);
        assertEquals(List.of("desired", "mqtt-command", "classic shadow", "refused"),
                List.of(refused.kind(), refused.source(), refused.target(), refused.outcome()));
        assertEquals(1, gateway.counters().stream().filter(c -> c.source() == Source.REST)
                .mapToLong(c -> c.denied()).sum());
        assertEquals(1, gateway.counters().stream().filter(c -> c.source() == Source.MQTT_COMMAND)
                .mapToLong(c -> c.refused()).sum());
        assertTrue(press.written.isEmpty());
    }

    @Test
    void theMachineWriteThatFollowsADeltaIsAuditedUnderWhoOrderedIt() throws Exception {
        policy("mqtt-command.allow = press01/*", "mqtt-command.create = true");
        CommandDispatcher dispatcher = new CommandDispatcher(things, connectors, audit, origins, policy);
        Runnable unlisten = ShadowStores.listen(store, dispatcher);
        try {
            update(MQTT, "press01", "{\"state\":{\"desired\":{\"speed\":700}}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> press.written.equals(List.of(700L)));
            await().atMost(Duration.ofSeconds(5)).until(() -> audit.events().stream()
                    .anyMatch(e -> e.kind().equals("write") && e.outcome().equals("done")));
            AuditEvent write = audit.events().stream().filter(e -> e.kind().equals("write")).findFirst().get();
            assertEquals("mqtt-command", write.source());
            assertEquals(MQTT.identity(), write.identity());
            assertEquals("press01/speed", write.target());
        } finally {
            unlisten.run();
            dispatcher.deactivate();
        }
    }

    @Test
    void aDesiredValueThatStandsDrivesTheMachineNoMoreOnceItsSourceMayNoLongerWriteIt() throws Exception {
        policy("mqtt-command.allow = press01/*", "mqtt-command.create = true");
        CommandDispatcher dispatcher = new CommandDispatcher(things, connectors, audit, origins, policy);
        dispatcher.store = store;
        Runnable unlisten = ShadowStores.listen(store, dispatcher);
        try {
            update(MQTT, "press01", "{\"state\":{\"desired\":{\"speed\":700}}}");
            await().atMost(Duration.ofSeconds(5)).until(() -> press.written.equals(List.of(700L)));
            store.update("press01", "", ShadowUpdate.reported(Map.of("speed", 700)));

            // the source loses the right; someone sets the machine by hand, and the old order stands
            policy("mqtt-command.allow = other/*");
            store.update("press01", "", ShadowUpdate.reported(Map.of("speed", 600)));
            await().atMost(Duration.ofSeconds(5)).until(() -> audit.events().stream()
                    .anyMatch(e -> e.kind().equals("write") && e.outcome().equals("denied")));
            AuditEvent denied = audit.events().stream().filter(e -> e.outcome().equals("denied")).findFirst().get();
            assertEquals("mqtt-command", denied.source());
            assertEquals("press01/speed", denied.target());
            assertTrue(denied.detail().startsWith("mqtt-command ordered this value, and may no longer write press01/speed"),
                    denied.detail());
            assertEquals(List.of(700L), press.written, "the machine keeps the value set by hand");
            await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(store.get("press01", "").metadata())
                    .contains("DENIED"));
        } finally {
            unlisten.run();
            dispatcher.deactivate();
        }
    }

    @Test
    void aWriteTheTrailCannotRecordIsNotMade() throws Exception {
        audit.failing(true);
        WriteResult r = write(OPERATOR, "speed", 100);
        assertEquals(WriteResult.Outcome.REFUSED, r.outcome());
        assertTrue(r.reason().startsWith("the audit trail cannot record the write"), r.reason());
        assertTrue(press.written.isEmpty());
    }

    @Test
    void aDenyOfOneFieldIsNotGotRoundByRemovingTheWholeSectionOrShadow() throws Exception {
        store.update("press01", "", ShadowUpdate.desired(Map.of("speed", 5, "mode", "auto")));
        policy("mqtt-command.allow = press01/*", "mqtt-command.deny = press01/speed");
        ShadowException section = assertThrows(ShadowException.class,
                () -> update(MQTT, "press01", "{\"state\":{\"desired\":null}}"));
        assertEquals(403, section.code());
        assertEquals("mqtt-command may not remove a whole section of press01/*, which holds press01/speed"
                + " (etc/org.fogwerk.security.writes.cfg)", section.getMessage());
        ShadowException delete = assertThrows(ShadowException.class,
                () -> gateway.deleteShadow(MQTT, "press01", "", null, null));
        assertEquals(403, delete.code());
        assertTrue(delete.getMessage().contains("press01/*, which holds press01/speed"), delete.getMessage());
        assertEquals(java.util.Set.of("speed", "mode"), store.get("press01", "").desired().keySet());

        // once the denied field is gone (removed by someone allowed to), the rest may go
        Map<String, Object> noSpeed = new HashMap<>();
        noSpeed.put("speed", null);
        store.update("press01", "", ShadowUpdate.desired(noSpeed));
        update(MQTT, "press01", "{\"state\":{\"desired\":null}}");
        assertTrue(store.get("press01", "").desired() == null || store.get("press01", "").desired().isEmpty());
    }

    @Test
    void deletesNeedTheWholeShadowInThePolicy() throws Exception {
        store.update("press01", "", ShadowUpdate.reported(Map.of("speed", 1)));
        policy("mqtt-command.allow = press01/speed");
        Caller mqtt = MQTT;
        ShadowException e = assertThrows(ShadowException.class, () -> gateway.deleteShadow(mqtt, "press01", "", null, null));
        assertEquals(403, e.code());
        policy("mqtt-command.allow = press01/*");
        gateway.deleteShadow(mqtt, "press01", "", null, null);
        assertFalse(store.things().contains("press01"));
        assertEquals("shadow-delete", audit.events().get(audit.events().size() - 1).kind());
    }

    @Test
    void everySourceHasItsDenyAndAllowPathAndIsAuditedUnderItsName() throws Exception {
        for (Source source : Source.values()) {
            if (source == Source.NODE) {
                continue;
            }
            Caller caller = source == Source.SHELL || source == Source.REST
                    ? Caller.user(source, "u-" + source.id(), Set.of(Roles.OPERATOR)) : Caller.of(source, "id-" + source.id());
            policy(source.id() + ".deny = press01/speed");
            WriteResult denied = write(caller, "speed", 10);
            assertEquals(WriteResult.Outcome.DENIED, denied.outcome(), source.id());
            assertEquals(source.id() + " may not write press01/speed (etc/org.fogwerk.security.writes.cfg)",
                    denied.reason());
            policy(source.id() + ".allow = press01/speed", source.id() + ".create = true");
            assertEquals(WriteResult.Outcome.DONE, write(caller, "speed", 10).outcome(), source.id());
            AuditEvent last = audit.events().get(audit.events().size() - 2);
            assertEquals(source.id(), last.source());
            assertEquals(caller.identity(), last.identity());
        }
        assertEquals(7, press.written.size());
        for (org.fogwerk.api.authority.RequestCounters c : gateway.counters()) {
            if (c.source() != Source.NODE) {
                assertEquals(1, c.accepted(), c.toString());
                assertEquals(1, c.denied(), c.toString());
            }
        }
    }

    // ---- the node's own shadow: software updates ----------------------------------------------------

    private byte[] order(Caller c, String json) throws ShadowException {
        return nodeGateway.updateShadow(c, NODE, NodeIdentity.SHADOW, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theNodesOwnThingIsListedAndOwned() {
        Thing node = nodeThings.thing(NODE).orElseThrow();
        assertEquals(NodeIdentity.THING_TYPE, node.type());
        assertEquals(NodeIdentity.SHADOW, node.shadow());
        assertTrue(nodeThings.things().stream().anyMatch(t -> t.name().equals(NODE)));
        assertTrue(nodeGateway.owns(NODE));
    }

    @Test
    void anAdminOrdersAnUpdateAndTheGatewayKnowsWhoBeforeTheStoreTellsItsListeners() throws Exception {
        order(ADMIN, ORDER);
        assertEquals("1.2.0", ((Map<?, ?>) store.get(NODE, NodeIdentity.SHADOW).desired().get("features"))
                .get("fogwerk-connector-modbus"));
        assertEquals(ADMIN, nodeGateway.orderedBy(NODE, NodeIdentity.SHADOW, "features.fogwerk-connector-modbus"));
        AuditEvent last = audit.events().get(audit.events().size() - 1);
        assertEquals("accepted", last.outcome());
        assertEquals("ada", last.identity());
    }

    @Test
    void anOperatorMayNotOrderSoftwareOnTheNodeShadow() {
        ShadowException e = assertThrows(ShadowException.class, () -> order(OPERATOR, ORDER));
        assertEquals(403, e.code());
        assertEquals("this needs the role admin; user 'olga' has the roles operator (software updates need admin)",
                e.getMessage());
    }

    @Test
    void theNodeShadowIsDeletedOnlyByWhoMayOrderSoftware() throws Exception {
        order(ADMIN, ORDER);
        ShadowException operator = assertThrows(ShadowException.class,
                () -> nodeGateway.deleteShadow(OPERATOR, NODE, NodeIdentity.SHADOW, null, null));
        assertEquals(403, operator.code());
        assertTrue(operator.getMessage().startsWith("this needs the role admin; user 'olga'"), operator.getMessage());
        policy.set(WritePolicy.parse(List.of("mqtt-command.allow = **")));
        ShadowException remote = assertThrows(ShadowException.class,
                () -> nodeGateway.deleteShadow(MQTT, NODE, NodeIdentity.SHADOW, null, null));
        assertTrue(remote.getMessage().contains("mqtt-command.updates"), remote.getMessage());
        assertEquals("denied", audit.events().get(audit.events().size() - 1).outcome());
        assertTrue(store.shadows(NODE).contains(NodeIdentity.SHADOW), "the orders are still there");
        nodeGateway.deleteShadow(ADMIN, NODE, NodeIdentity.SHADOW, null, null);
        assertFalse(store.shadows(NODE).contains(NodeIdentity.SHADOW));
    }

    @Test
    void reportedStateSetByAPersonIsOnRecordAndByARouteIsNot() throws Exception {
        int before = audit.events().size();
        update(OPERATOR, "pressA", "{\"state\":{\"reported\":{\"note\":\"checked\"}}}");
        AuditEvent shell = audit.events().get(audit.events().size() - 1);
        assertEquals(List.of("reported", "shell", "olga", "accepted"),
                List.of(shell.kind(), shell.source(), shell.identity(), shell.outcome()));
        int afterShell = audit.events().size();
        update(Caller.of(Source.ROUTE, "route r1"), "pressA", "{\"state\":{\"reported\":{\"note\":\"auto\"}}}");
        assertEquals(afterShell, audit.events().size(), "a route reports often, its own data");
        assertEquals(before + 1, afterShell);
    }

    @Test
    void aRemoteSourceIsRefusedUnlessThePolicyLetsItOrderUpdatesWhateverItsFieldRules() throws Exception {
        policy.set(WritePolicy.parse(List.of("mqtt-command.allow = **")));
        ShadowException e = assertThrows(ShadowException.class, () -> order(MQTT, ORDER));
        assertEquals(403, e.code());
        assertEquals("mqtt-command may not order software updates (etc/org.fogwerk.security.writes.cfg: "
                + "mqtt-command.updates)", e.getMessage());
        AuditEvent refused = audit.events().get(audit.events().size() - 1);
        assertEquals("denied", refused.outcome());
        assertEquals("mqtt-command", refused.source());

        policy.set(WritePolicy.parse(List.of("mqtt-command.updates = true")));
        order(MQTT, ORDER);
        assertEquals(MQTT, nodeGateway.orderedBy(NODE, NodeIdentity.SHADOW, "features.fogwerk-connector-modbus"));
    }

    @Test
    void onlyFeatureVersionsOrNullAreOrdersAndOnlyTheNodeReports() throws Exception {
        ShadowException other = assertThrows(ShadowException.class,
                () -> order(ADMIN, "{\"state\":{\"desired\":{\"reboot\":true}}}"));
        assertEquals(400, other.code());
        assertTrue(other.getMessage().startsWith("desired.reboot: the node's shadow takes only"), other.getMessage());
        ShadowException number = assertThrows(ShadowException.class,
                () -> order(ADMIN, "{\"state\":{\"desired\":{\"features\":{\"fogwerk-camel\":12}}}}"));
        assertEquals(400, number.code());
        assertTrue(number.getMessage().startsWith("desired.features.fogwerk-camel: a feature version"),
                number.getMessage());
        ShadowException foreign = assertThrows(ShadowException.class,
                () -> order(ADMIN, "{\"state\":{\"desired\":{\"features\":{\"obr\":\"4.4.10\"}}}}"));
        assertEquals(400, foreign.code());
        assertEquals("desired.features.obr: obr is not a Fogwerk feature: only fogwerk features (names starting with"
                + " \"fogwerk\") can be ordered", foreign.getMessage());
        ShadowException all = assertThrows(ShadowException.class, () -> order(ADMIN, "{\"state\":{\"desired\":null}}"));
        assertEquals(400, all.code());
        ShadowException report = assertThrows(ShadowException.class,
                () -> order(ADMIN, "{\"state\":{\"reported\":{\"fogwerk\":\"9.9.9\"}}}"));
        assertEquals(403, report.code());

        order(ADMIN, "{\"state\":{\"desired\":{\"features\":{\"fogwerk-camel\":null}}}}");
        // an order made before it was refused here can still be cleared
        order(ADMIN, "{\"state\":{\"desired\":{\"features\":{\"obr\":null}}}}");
        nodeGateway.updateShadow(Caller.of(Source.NODE, "software updates"), NODE, NodeIdentity.SHADOW,
                ShadowUpdate.reported(Map.of("fogwerk", "0.1.0")));
    }
}
