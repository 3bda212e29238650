package org.fogwerk.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.inject.Inject;

import org.fogwerk.testing.FreePorts;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;

/**
 * Boots the built Fogwerk distribution, as it ships, with its own free ports, and checks what
 * an integrator sees first: every bundle active, the features installed, both simulated
 * machines answering in their protocols, and the fogwerk shell commands working.
 */
@ExamReactorStrategy(PerClass.class)
public class FogwerkNodeIT extends InsideNode {

    private static final String OPCUA_PORT = "fogwerk.it.opcua.port";
    private static final String MODBUS_PORT = "fogwerk.it.modbus.port";
    private static final String BROKER_PORT = "fogwerk.it.broker.port";
    private static final Duration STEP = Duration.ofSeconds(15);

    @Inject
    ConfigurationAdmin configurationAdmin;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        String opcuaPort = Integer.toString(FreePorts.next());
        String modbusPort = Integer.toString(FreePorts.next());
        String nodeId = NodeOptions.nodeId();
        String brokerPort = Integer.toString(FreePorts.next());
        return new Option[] {
            NodeOptions.node(opcuaPort, modbusPort, Integer.toString(FreePorts.next()), nodeId),
            systemProperty(OPCUA_PORT).value(opcuaPort),
            systemProperty(MODBUS_PORT).value(modbusPort),
            editConfigurationFilePut("etc/org.fogwerk.broker.cfg", "port", brokerPort),
            systemProperty(BROKER_PORT).value(brokerPort),
            systemProperty(NODE_ID).value(nodeId),
        };
    }

    @Test
    public void everyBundleIsActiveAndTheFeaturesAreInstalled() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> notActive().isEmpty());
        for (String feature : List.of("fogwerk", "fogwerk-core", "fogwerk-simulator", "fogwerk-api",
                "fogwerk-connector-modbus", "fogwerk-connector-opcua", "fogwerk-shadow", "fogwerk-uplink-mqtt", "fogwerk-broker", "fogwerk-web")) {
            assertTrue(feature + " is installed", features.isInstalled(features.getFeature(feature)));
        }
    }

    @Test
    public void aNodeWithoutSparkplugUplinksHasNoTahuOrProtobufButCanInstallThemOffline() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> notActive().isEmpty());
        assertTrue("the demo's uplink serves the $aws shadow topics",
                features.isInstalled(features.getFeature("fogwerk-uplink-aws")));
        assertFalse(features.isInstalled(features.getFeature("fogwerk-uplink-sparkplug")));
        for (Bundle b : context.getBundles()) {
            String name = String.valueOf(b.getSymbolicName());
            assertFalse(name + " is installed", name.contains("tahu") || name.contains("protobuf")
                    || name.equals("org.fogwerk.uplink.sparkplug"));
        }
        java.nio.file.Path system = java.nio.file.Path.of(System.getProperty("karaf.home"), "system");
        for (String dir : List.of("org/fogwerk/org.fogwerk.uplink.sparkplug", "org/eclipse/tahu/tahu-core",
                "com/google/protobuf/protobuf-java")) {
            assertTrue(dir + " is in the distribution's repository", java.nio.file.Files.isDirectory(system.resolve(dir)));
        }
    }

    @Test
    public void bothSimulatedMachinesAnswerInTheirProtocols() throws Exception {
        int opcuaPort = Integer.getInteger(OPCUA_PORT);
        int modbusPort = Integer.getInteger(MODBUS_PORT);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                "ACK".equals(OpcUaHello.hello("127.0.0.1", opcuaPort, "opc.tcp://127.0.0.1:" + opcuaPort + "/fogwerk")));

        ModbusTCPMaster master = new ModbusTCPMaster("127.0.0.1", modbusPort);
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                master.connect();
                return true;
            });
            InputRegister[] registers = master.readInputRegisters(1, 0, 4);
            assertEquals(4, registers.length);
        } finally {
            master.disconnect();
        }
    }

    @Test
    public void shellCommandsAnswer() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> execute("fogwerk:sim-status").contains("running")
                && countRunning(execute("fogwerk:sim-status")) == 2);
        String sim = execute("fogwerk:sim-status --tags");
        assertTrue(sim, sim.contains("opc.tcp://127.0.0.1:" + Integer.getInteger(OPCUA_PORT) + "/fogwerk"));
        assertTrue(sim, sim.contains("sineBoolean01"));
        assertTrue(sim, sim.contains("counterUInt1604"));
        // what a command prints goes down a pipe, as with Karaf's own commands
        String piped = execute("fogwerk:sim-status --tags | grep sineBoolean01");
        assertTrue(piped, piped.contains("sineBoolean01"));
        assertFalse(piped, piped.contains("counterUInt1604"));
        assertEquals(piped, "2", execute("fogwerk:sim-status --tags | grep sineBoolean01 | wc -l").strip());

        String connectors = execute("fogwerk:connector-list");
        assertTrue(connectors, connectors.contains("No connections configured") || connectors.contains("PROTOCOL"));
        String tags = execute("fogwerk:tag-list");
        assertTrue(tags, tags.contains("TAG") || tags.contains("No tag values yet"));

        try {
            execute("fogwerk:tag-list no-such-connection");
            fail("a bad connection id must be refused");
        } catch (Exception e) {
            // refused as a command error (Karaf's CommandException), its message the refusal's
            assertEquals("CommandException", e.getClass().getSimpleName());
            assertTrue(e.getMessage(), e.getMessage().contains("no connection named 'no-such-connection'"));
        }
    }

    @Test
    public void aBadSimulatorConfigurationIsReportedAndDisturbsNothingElse() throws Exception {
        awaitShell(() -> countRunning(execute("fogwerk:sim-status")) == 2);
        Configuration modbus = configurationAdmin.getConfiguration("org.fogwerk.simulator.modbus", null);
        java.util.Dictionary<String, Object> properties = modbus.getProperties();
        Object goodCount = properties.get("tag.count");
        properties.put("tag.count", "-3");
        modbus.update(properties);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> execute("fogwerk:sim-status").contains("tag.count = -3"));
            String status = execute("fogwerk:sim-status");
            assertEquals(status, 1, countRunning(status));
            assertTrue(notActive().toString(), notActive().isEmpty());
        } finally {
            properties.put("tag.count", goodCount);
            modbus.update(properties);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> countRunning(execute("fogwerk:sim-status")) == 2);
    }

    @Test
    public void aSecondFileForATakenNameDeliversNothingUnderThatName() throws Exception {
        awaitRow("fogwerk:connector-list", "sim-modbus", "CONNECTED");
        Path etc = Path.of(System.getProperty("karaf.etc"));
        String opcua = Files.readString(etc.resolve("org.fogwerk.connector.opcua-sim-opcua.cfg"));
        String endpoint = opcua.lines().filter(l -> l.startsWith("endpoint.url")).findFirst().orElseThrow();
        // an OPC UA file copied for the Modbus machine's name: a tag only it has shows whether its values get in
        Path duplicate = etc.resolve("org.fogwerk.connector.opcua-sim-modbus.cfg");
        Files.writeString(duplicate, endpoint + "\ntags = onlyTheCopy=nsu=urn:fogwerk:simulator;s=rampFloat12\n");
        try {
            awaitShell(() -> execute("fogwerk:connector-list").contains("duplicate name"));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> !execute("fogwerk:tag-list sim-modbus").contains("onlyTheCopy"));
            awaitRow("fogwerk:connector-list", "sim-modbus", "CONNECTED");
        } finally {
            Files.deleteIfExists(duplicate);
        }
        awaitShell(() -> !execute("fogwerk:connector-list").contains("duplicate name"));
        assertFalse(execute("fogwerk:tag-list sim-modbus").contains("onlyTheCopy"));
    }

    @Test
    public void theDemoModbusConnectionReadsAndWritesTheSimulatedMachine() throws Exception {
        writesThrough("fogwerk:modbus-write", "sim-modbus", "sineDouble06", "setpointFloat19", "12.5");

        try {
            execute("fogwerk:modbus-write sim-modbus setpointFloat19 1000");
            fail("a write above the tag's maximum must be refused");
        } catch (Exception e) {
            // a refusal is Karaf's CommandException: shown as one line, logged without a stack trace
            assertEquals("CommandException", e.getClass().getSimpleName());
            assertTrue(e.getMessage(), e.getMessage().contains("REFUSED") && e.getMessage().contains("above the maximum"));
        }
    }

    @Test
    public void theDemoOpcUaConnectionSubscribesAndWritesTheSimulatedMachine() throws Exception {
        writesThrough("fogwerk:opcua-write", "sim-opcua", "counterUInt1604", "setpointDouble20", "42.5");

        String browse = execute("fogwerk:opcua-browse sim-opcua 'nsu=urn:fogwerk:simulator;s=Machine'");
        assertTrue(browse, browse.contains("sineBoolean01") && browse.contains("SetSetpoint"));

        String setSetpoint = "fogwerk:opcua-call sim-opcua 'nsu=urn:fogwerk:simulator;s=Machine' "
                + "'nsu=urn:fogwerk:simulator;s=Machine/SetSetpoint' setpointFloat19 ";
        execute(setSetpoint + "7.25");
        String called = execute(setSetpoint + "7.5");
        assertTrue(called, row(called, "7.25").contains("Double"));
        awaitRow("fogwerk:tag-list sim-opcua", "setpointFloat19", "7.5");
    }

    @Test
    public void eachRoleRunsOnlyItsCommandsAndEveryWriteIsOnRecord() throws Exception {
        List<String> viewer = List.of("viewer", "ssh");
        List<String> operator = List.of("operator", "viewer", "ssh");
        awaitShell(() -> row(ShellAs.run(sessions, "vera", viewer, "fogwerk:connector-list"), "sim-modbus")
                .contains("CONNECTED"));
        assertTrue(ShellAs.run(sessions, "vera", viewer, "fogwerk:tag-list sim-modbus").contains("setpointFloat19"));
        assertTrue(ShellAs.run(sessions, "vera", viewer, "fogwerk:shadow-get " + thing("sim-modbus")).contains("reported"));
        for (String forbidden : List.of("fogwerk:modbus-write sim-modbus setpointFloat19 66.5",
                "fogwerk:shadow-update " + thing("sim-modbus") + " '{\"state\":{\"desired\":{\"setpointFloat19\":66.5}}}'",
                "fogwerk:opcua-cert-trust anything", "fogwerk:uplink-flush local",
                "fogwerk:node-update fogwerk-connector-modbus 9.9.9", "config:list")) {
            try {
                ShellAs.run(sessions, "vera", viewer, forbidden);
                fail("a viewer ran " + forbidden);
            } catch (Exception e) {
                if (forbidden.startsWith("config:")) {
                    // hidden by the command ACL
                    assertTrue(e.toString(), String.valueOf(e.getMessage()).contains(forbidden.split(" ")[0]));
                } else {
                    // listed for viewers: the command (or the write gateway behind it) names the role
                    String role = forbidden.contains("cert-trust") || forbidden.contains("node-update") ? "admin"
                            : "operator";
                    assertTrue(e.toString(), String.valueOf(e.getMessage()).contains(
                            "this needs the role " + role + "; user 'vera' has the roles"));
                }
            }
        }
        try {
            ShellAs.run(sessions, "olga", operator, "fogwerk:opcua-cert-trust anything");
            fail("an operator changed the trust list");
        } catch (Exception e) {
            assertTrue(e.toString(), String.valueOf(e.getMessage()).contains(
                    "this needs the role admin; user 'olga' has the roles"));
        }
        // what would switch the node's guards off, read its secrets or write its files: administrators only
        for (String command : List.of("scr:disable org.fogwerk.web.internal.AuthFilter", "log:set OFF",
                "cat etc/users.properties", "grep admin etc/users.properties", "echo x >> etc/users.properties",
                "grep -v x etc/users.properties", "grep -A 1 admin etc/users.properties", "head -n 2 etc/users.properties",
                "camel:route-list", "bundle:list")) {
            for (String user : List.of("vera", "olga")) {
                try {
                    ShellAs.run(sessions, user, user.equals("vera") ? viewer : operator, command);
                    fail(user + " ran " + command);
                } catch (Exception e) {
                    String why = String.valueOf(e.getMessage());
                    assertTrue(user + " " + command + ": " + e, why.contains("Insufficient credentials")
                            || why.contains("Command not found"));
                }
            }
        }
        assertTrue("nothing was written",
                execute("cat etc/users.properties").lines().map(String::strip).noneMatch("x"::equals));
        // reading from a pipe works for every role: options and one pattern, never a file
        for (String piped : List.of("fogwerk:sim-status --tags | grep -i -v SINEBOOLEAN01 | head -n 3",
                "fogwerk:sim-status --tags | tail -n 1", "fogwerk:sim-status --tags | grep -A 1 sineBoolean01",
                "fogwerk:sim-status --tags | sort | wc -l")) {
            String out = ShellAs.run(sessions, "vera", viewer, piped);
            assertFalse(piped + ": " + out, out.isBlank() || out.contains("Command not found"));
        }
        String written = ShellAs.run(sessions, "olga", operator, "fogwerk:modbus-write sim-modbus setpointFloat19 33.5");
        assertTrue(written, written.contains("DONE"));
        awaitRow("fogwerk:tag-list sim-modbus", "setpointFloat19", "33.5");
        assertFalse(row(execute("fogwerk:tag-list sim-modbus"), "setpointFloat19").contains("66.5"));

        String policy = ShellAs.run(sessions, "vera", viewer, "fogwerk:policy-show");
        assertTrue(policy, policy.contains("vera") && policy.contains("org.fogwerk.security.writes.cfg")
                && policy.contains("mqtt-command allow=" + thing("sim-opcua") + "/*"));
        String trail = execute("fogwerk:audit-list --source shell --limit 50");
        assertTrue(trail, trail.contains("olga") && trail.contains("sim-modbus/setpointFloat19") && trail.contains("done"));
        String refused = row(execute("fogwerk:audit-list --source shell --identity vera --limit 50"),
                "sim-modbus/setpointFloat19");
        assertTrue(refused, refused.contains("denied") && refused.contains("66.5"));
        String trust = execute("fogwerk:audit-list --kind trust --identity olga --limit 10");
        assertTrue(trust, trust.contains("anything") && trust.contains("denied"));
    }

    @Test
    public void aConfigEditOfTheWritePolicyKeepsTheNodeIdInItsRules() throws Exception {
        Path file = Path.of(System.getProperty("karaf.etc"), "org.fogwerk.security.writes.cfg");
        assertTrue(Files.readString(file).contains("${fogwerk.node}-sim-opcua/"));
        try {
            execute("config:edit org.fogwerk.security.writes\nconfig:property-set aws-local.create false\nconfig:update");
            awaitShell(() -> execute("fogwerk:policy-show").contains(
                    "aws-local allow=" + thing("sim-opcua") + "/**," + thing("sim-modbus") + "/** deny=- create=false"));
            String text = Files.readString(file);
            assertTrue(text, text.contains("${fogwerk.node}-sim-opcua/") && !text.contains("= -sim-opcua"));
            String policy = execute("fogwerk:policy-show");
            assertTrue(policy, policy.contains("mqtt-command allow=" + thing("sim-opcua") + "/*"));
        } finally {
            execute("config:edit org.fogwerk.security.writes\nconfig:property-set aws-local.create true\nconfig:update");
        }
    }

    @Test
    public void theShadowFollowsTheMachineAndDesiredStateReachesIt() throws Exception {
        // reported state follows a changing simulator tag
        awaitShell(() -> execute("fogwerk:shadow-get " + thing("sim-opcua")).contains("\"counterUInt1604\""));
        String first = reportedValue(execute("fogwerk:shadow-get " + thing("sim-opcua")), "counterUInt1604");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !reportedValue(execute("fogwerk:shadow-get " + thing("sim-opcua")), "counterUInt1604").equals(first));

        // desired state set from the shell reaches the machine, and the delta clears by itself
        execute("fogwerk:shadow-update " + thing("sim-opcua") + " '{\"state\":{\"desired\":{\"setpointInt3217\":321}}}'");
        awaitRow("fogwerk:tag-list sim-opcua", "setpointInt3217", "321");
        awaitShell(() -> !execute("fogwerk:shadow-delta " + thing("sim-opcua")).contains("setpointInt3217"));
        assertTrue(execute("fogwerk:shadow-get " + thing("sim-opcua")).contains("\"command\" : \"DONE\""));

        // a desired value the tag refuses is refused before it is accepted: nothing changes
        try {
            execute("fogwerk:shadow-update " + thing("sim-opcua") + " '{\"state\":{\"desired\":{\"setpointInt3217\":99999}}}'");
            fail("a desired value above the tag's maximum must be refused");
        } catch (Exception e) {
            assertEquals("CommandException", e.getClass().getSimpleName());
            assertTrue(e.getMessage(), e.getMessage().startsWith("400: ") && e.getMessage().contains("above the maximum"));
        }
        assertFalse(execute("fogwerk:shadow-get " + thing("sim-opcua")).contains("99999"));
    }

    @Test
    public void aThingFileMapsTagsToNestedFieldsAndABadOneIsReported() throws Exception {
        java.nio.file.Path etc = java.nio.file.Paths.get(System.getProperty("karaf.etc"));
        java.nio.file.Path press = etc.resolve("org.fogwerk.thing-press01.cfg");
        java.nio.file.Path broken = etc.resolve("org.fogwerk.thing-broken.cfg");
        java.nio.file.Files.writeString(press, "type = press\nattribute.line = 2\n"
                + "map.spindle.speed = sim-opcua/sineDouble06\nmap.parts = sim-modbus/counterUInt1604\n");
        java.nio.file.Files.writeString(broken, "map.speed = press01\n");
        try {
            awaitShell(() -> execute("fogwerk:shadow-get press01").contains("\"spindle\" : {"));
            String shown = execute("fogwerk:thing-show press01");
            assertTrue(shown, shown.contains("press") && shown.contains("line = 2")
                    && shown.contains("sim-modbus/counterUInt1604"));
            await().atMost(Duration.ofSeconds(10)).until(() -> row(execute("fogwerk:thing-list"), "broken")
                    .contains("map.speed = press01 is invalid"));
        } finally {
            java.nio.file.Files.deleteIfExists(press);
            java.nio.file.Files.deleteIfExists(broken);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> row(execute("fogwerk:thing-list"), "press01").isEmpty());
    }

    @Test
    public void theDemoUplinkPublishesToTheBrokerAndTakesCommands() throws Exception {
        String node = System.getProperty(NODE_ID);
        java.util.concurrent.BlockingQueue<String[]> received = new java.util.concurrent.LinkedBlockingQueue<>();
        org.eclipse.paho.client.mqttv3.MqttClient subscriber = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:1883", node + "-subscriber", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        subscriber.connect();
        try {
            subscriber.subscribe("fogwerk/" + node + "/#", 1,
                    (topic, message) -> received.add(new String[] {topic, new String(message.getPayload(),
                            StandardCharsets.UTF_8)}));
            awaitRow("fogwerk:uplink-list", "local", "CONNECTED");
            // the embedded broker runs on a port of its own and never takes the port of the broker
            // the uplink publishes to (Mosquitto on 1883 here)
            int brokerPort = Integer.getInteger(BROKER_PORT);
            awaitShell(() -> execute("fogwerk:broker-status").contains("RUNNING"));
            assertTrue(execute("fogwerk:broker-status").contains("tcp://127.0.0.1:" + brokerPort));
            // Moquette's per-packet log is quiet unless asked for
            assertTrue(execute("log:get io.moquette.broker.metrics.MQTTMessageLogger").contains("WARN"));
            // an empty client id (mosquitto_sub) gets a 64 KiB json-batch through the embedded broker
            org.eclipse.paho.client.mqttv3.MqttClient local = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + brokerPort, "", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            org.eclipse.paho.client.mqttv3.MqttClient publisher = new org.eclipse.paho.client.mqttv3.MqttClient(
                    "tcp://127.0.0.1:" + brokerPort, node + "-big", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            local.setTimeToWait(30_000);
            publisher.setTimeToWait(30_000);
            local.connect();
            publisher.connect();
            try {
                java.util.concurrent.CompletableFuture<Integer> big = new java.util.concurrent.CompletableFuture<>();
                local.subscribe("fogwerk/it/big", 1, (topic, message) -> big.complete(message.getPayload().length));
                publisher.publish("fogwerk/it/big", new org.eclipse.paho.client.mqttv3.MqttMessage(new byte[65_536]));
                assertEquals(65_536, (int) big.get(30, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                publisher.disconnect();
                publisher.close();
                local.disconnect();
                local.close();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(m ->
                    m[0].equals("fogwerk/" + node + "/" + thing("sim-modbus") + "/counterUInt1604") && m[1].contains("\"seq\":")));

            subscriber.publish("fogwerk/" + node + "/command/" + thing("sim-modbus"), new org.eclipse.paho.client.mqttv3.MqttMessage(
                    "{\"state\":{\"desired\":{\"setpointUInt1618\":123}},\"clientToken\":\"it-1\"}"
                            .getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(m ->
                    m[0].equals("fogwerk/" + node + "/reply/" + thing("sim-modbus")) && m[1].contains("it-1")));
            awaitRow("fogwerk:tag-list sim-modbus", "setpointUInt1618", "123");

            subscriber.publish("fogwerk/" + node + "/command/" + thing("sim-modbus"),
                    new org.eclipse.paho.client.mqttv3.MqttMessage("not json".getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(m ->
                    m[0].equals("fogwerk/" + node + "/reply/" + thing("sim-modbus")) && m[1].contains("\"code\":400")));
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
    }

    /** The text of a reported field's value in a pretty-printed shadow document. */
    private static String reportedValue(String document, String field) {
        int reported = document.indexOf("\"reported\"");
        int at = document.indexOf("\"" + field + "\" : ", reported);
        if (reported < 0 || at < 0) {
            return "";
        }
        int start = at + field.length() + 5;
        int end = document.indexOf('\n', start);
        return document.substring(start, end).replace(",", "").trim();
    }

    @Test
    public void aModbusConnectionFileStartsRestartsAndStopsItsConnection() throws Exception {
        String device = "host = 127.0.0.1\nport = " + Integer.getInteger(MODBUS_PORT) + "\n";
        connectionFileLifecycle("org.fogwerk.connector.modbus-line9.cfg", "line9",
                device + "tags = rampInt16, , input, 0, int16\n",
                device + "tags = rampInt16, , input, 0, int16; counterUInt16, , input, 3, uint16\n", "counterUInt16",
                device + "max.gap = -1\n", "org.fogwerk.connector.modbus-line9.cfg: max.gap = -1 is invalid");
    }

    @Test
    public void anOpcUaConnectionFileStartsRestartsAndStopsItsConnection() throws Exception {
        String server = "endpoint.url = opc.tcp://127.0.0.1:" + Integer.getInteger(OPCUA_PORT) + "/fogwerk\n";
        connectionFileLifecycle("org.fogwerk.connector.opcua-press7.cfg", "press7",
                server + "tags = ramp=nsu=urn:fogwerk:simulator;s=rampInt1602\n",
                server + "tags = ramp=nsu=urn:fogwerk:simulator;s=rampInt1602; "
                        + "count=nsu=urn:fogwerk:simulator;s=counterUInt1604\n", "count",
                server + "publishing.interval = fast\ntags = ramp=nsu=urn:fogwerk:simulator;s=rampInt1602\n",
                "org.fogwerk.connector.opcua-press7.cfg: publishing.interval");
    }

    /**
     * Creates a connection file, edits it, breaks it and deletes it, and checks that the
     * connection follows each step while the demo connections keep running. On an idle machine
     * each step takes one to two seconds; the bound leaves room for a busy CI machine.
     */
    private void connectionFileLifecycle(String file, String id, String first, String edited, String newTag,
            String broken, String expectedError) throws Exception {
        java.nio.file.Path cfg = java.nio.file.Paths.get(System.getProperty("karaf.etc"), file);
        java.nio.file.Files.writeString(cfg, first);
        try {
            await().atMost(STEP).ignoreExceptions()
                    .until(() -> row(execute("fogwerk:connector-list"), id).contains("CONNECTED"));

            java.nio.file.Files.writeString(cfg, edited);
            await().atMost(STEP).ignoreExceptions()
                    .until(() -> row(execute("fogwerk:tag-list " + id), newTag).contains("GOOD"));

            java.nio.file.Files.writeString(cfg, broken);
            await().atMost(STEP).ignoreExceptions()
                    .until(() -> execute("fogwerk:connector-status " + id).contains(expectedError));
            assertTrue(row(execute("fogwerk:connector-list"), "sim-modbus").contains("CONNECTED"));
            assertTrue(row(execute("fogwerk:connector-list"), "sim-opcua").contains("CONNECTED"));
        } finally {
            java.nio.file.Files.deleteIfExists(cfg);
        }
        await().atMost(STEP).until(() -> row(execute("fogwerk:connector-list"), id).isEmpty());
    }

    /** The line of a shell table with a cell holding exactly the given text. */
    /**
     * Waits for a demo connection and a GOOD value of {@code goodTag}, writes {@code value} to
     * {@code setpoint} with the protocol's write command, and waits until the tag reads it back.
     */
    private void writesThrough(String writeCommand, String connection, String goodTag, String setpoint, String value)
            throws Exception {
        awaitRow("fogwerk:connector-list", connection, "CONNECTED");
        awaitRow("fogwerk:tag-list " + connection, goodTag, "GOOD");

        String written = execute(writeCommand + " " + connection + " " + setpoint + " " + value);
        assertTrue(written, written.contains("DONE"));
        awaitRow("fogwerk:tag-list " + connection, setpoint, value);
    }

    /** Waits until the row of {@code cell} in the table {@code command} prints contains {@code text}. */
    private void awaitRow(String command, String cell, String text) {
        awaitShell(() -> row(execute(command), cell).contains(text));
    }

    /** Waits up to 30 s, through the shell's failures while the node starts, until {@code done}. */
    private static void awaitShell(java.util.concurrent.Callable<Boolean> done) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(done);
    }

    private static String row(String table, String cell) {
        return table.lines()
                .filter(l -> java.util.Arrays.stream(l.split("\\|")).anyMatch(c -> c.trim().equals(cell)))
                .findFirst().orElse("");
    }

    private static long countRunning(String simStatus) {
        return simStatus.lines().filter(l -> l.contains(" running ")).count();
    }

    /** The demo's implicit thing of a connection: it carries the node id (etc/org.fogwerk.things.cfg). */
    private static String thing(String connection) {
        return System.getProperty(NODE_ID) + "-" + connection;
    }
}
