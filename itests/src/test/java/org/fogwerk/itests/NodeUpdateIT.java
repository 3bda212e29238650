package org.fogwerk.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.wrappedBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.testing.FreePorts;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Software updates of a running node: the Modbus connector feature goes from the built version
 * to a version B while the OPC UA simulator streams 5,000 values/s through the uplink to the
 * machine's Mosquitto, then to a broken version C that goes back to B by itself; and an update
 * ordered through the node's own shadow over MQTT, refused until the write policy allows the
 * source. Versions B, C and D are the built Modbus bundle with another Bundle-Version (C also
 * with an activator that does not exist), each in a features repository of its own that the
 * node finds through its configured repository template.
 */
@ExamReactorStrategy(PerClass.class)
public class NodeUpdateIT extends InsideNode {

    private static final String MODBUS = "fogwerk-connector-modbus";
    private static final String MODBUS_BUNDLE = "org.fogwerk.connector.modbus";
    private static final String B = "0.1.1";
    private static final String C = "0.1.2";
    private static final String D = "0.1.3";
    /** Its bundle starts, its connector component FAILS. */
    private static final String E = "0.1.4";
    /** A feature of its own, not part of the aggregate: it can come and go. */
    private static final String EXTRA = "fogwerk-it-extra";
    private static final String EXTRA_VERSION = "0.1.5";
    private static final String CONNECTOR_COMPONENT = "OSGI-INF/org.fogwerk.connector.modbus.internal.ModbusConnectorComponent.xml";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("\"receivedTime\":(\\d+)");
    private static final Pattern SOURCE = Pattern.compile("\"sourceTime\":(\\d+)");

    @Inject
    ConnectorRegistry connectors;

    @Inject
    AuditTrail audit;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() throws IOException {
        String opcuaPort = Integer.toString(FreePorts.next());
        String modbusPort = Integer.toString(FreePorts.next());
        String nodeId = NodeOptions.nodeId();
        Path repo = Paths.get("target", "update-repo-" + nodeId).toAbsolutePath();
        Path built = Paths.get("..", "connectors", "modbus", "target",
                MODBUS_BUNDLE + "-" + System.getProperty("fogwerk.version") + ".jar").toAbsolutePath().normalize();
        version(repo, built, B, Broken.NOT);
        version(repo, built, C, Broken.ACTIVATOR);
        version(repo, built, D, Broken.NOT);
        version(repo, built, E, Broken.COMPONENT);
        Files.writeString(repo.resolve("fogwerk-features-" + EXTRA_VERSION + ".xml"),
                "<features name=\"fogwerk-it-" + EXTRA_VERSION + "\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + "  <feature name=\"" + EXTRA + "\" version=\"" + EXTRA_VERSION + "\">\n"
                + "    <feature>fogwerk-core</feature>\n  </feature>\n</features>\n");
        return NodeOptions.builtNode(
                // 500 OPC UA counters changing every 100 ms: 5,000 values/s, sampled twice as often so none is missed
                editConfigurationFilePut("etc/org.fogwerk.simulator.opcua.cfg", "port", opcuaPort),
                editConfigurationFilePut("etc/org.fogwerk.simulator.opcua.cfg", "tag.count", "500"),
                editConfigurationFilePut("etc/org.fogwerk.simulator.opcua.cfg", "update.interval", "100"),
                editConfigurationFilePut("etc/org.fogwerk.simulator.opcua.cfg", "patterns", "counter"),
                editConfigurationFilePut("etc/org.fogwerk.simulator.opcua.cfg", "writable.count", "0"),
                editConfigurationFilePut("etc/org.fogwerk.connector.opcua-sim-opcua.cfg", "endpoint.url",
                        "opc.tcp://127.0.0.1:" + opcuaPort + "/fogwerk"),
                editConfigurationFilePut("etc/org.fogwerk.connector.opcua-sim-opcua.cfg", "sampling.interval", "50"),
                editConfigurationFilePut("etc/org.fogwerk.connector.opcua-sim-opcua.cfg", "publishing.interval", "100"),
                editConfigurationFilePut("etc/org.fogwerk.simulator.modbus.cfg", "port", modbusPort),
                editConfigurationFilePut("etc/org.fogwerk.connector.modbus-sim-modbus.cfg", "port", modbusPort),
                editConfigurationFilePut("etc/org.fogwerk.uplink.mqtt-local.cfg", "node.id", nodeId),
                editConfigurationFilePut("etc/custom.properties", "fogwerk.node", nodeId),
                // the plant mirror of this test: one features repository per version, found by the template
                editConfigurationFilePut("etc/org.fogwerk.update.cfg", "repository",
                        repo.toUri() + "fogwerk-features-{version}.xml"),
                editConfigurationFilePut("etc/org.fogwerk.update.cfg", "health.timeout", "10"),
                systemProperty(NODE_ID).value(nodeId),
                wrappedBundle(mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version"))),
                wrappedBundle(mavenBundle("org.hamcrest", "hamcrest", "2.1")));
    }

    @Test
    public void theModbusConnectorIsUpdatedWhileOpcUaStreamsAndABrokenVersionGoesBack() throws Exception {
        String node = System.getProperty(NODE_ID);
        streamAllOpcUaTags();
        Stream stream = new Stream(node);
        try {
            await().atMost(WAIT).until(() -> stream.opcuaSpan() >= 6000);
            String from = installed(MODBUS);
            Downtime modbus = new Downtime(connectors, "sim-modbus");
            long start = System.currentTimeMillis();
            String out = execute("fogwerk:node-update " + MODBUS + " " + B);
            long end = System.currentTimeMillis();
            System.out.println(out);
            assertTrue(out, out.contains(MODBUS + " ") && out.contains("-> " + B + ": done"));
            await().atMost(WAIT).until(() -> connected("sim-modbus"));
            long down = modbus.stop();
            assertEquals(B, installed(MODBUS));
            assertOneModbusBundle(B);

            // enough values after the update to compare, then every seq up to the last one seen
            long windowEnd = Math.max(end, start + 5000);
            await().atMost(WAIT).until(() -> stream.lastReceived() > windowEnd + 1000);
            awaitNoGaps(stream);
            /*
             * Values per second of the OPC UA connection that reached the broker, counted by the
             * machine's source time: a gap in the connection (a reconnect, a lost subscription)
             * would show as missing values. Counted by the time the node received them, the rate
             * also moves with the CPU the shared machine leaves the node; printed for information.
             */
            double before = stream.opcuaRate(start - 5000, start, true);
            double during = stream.opcuaRate(start, windowEnd, true);
            System.out.printf("NodeUpdateIT: update %s -> %s took %d ms; Modbus connection down %d ms; OPC UA "
                    + "%.0f values/s before, %.0f during (by the node's receive time %.0f and %.0f); %d messages, "
                    + "seq %d..%d without gaps%n", from, B, end - start, down, before, during,
                    stream.opcuaRate(start - 5000, start, false), stream.opcuaRate(start, windowEnd, false),
                    stream.count(), stream.firstSeq(), stream.lastSeq());
            assertTrue("OPC UA streams about 5,000 values/s: " + before, before > 4500);
            assertTrue("OPC UA values/s unchanged within 5 %: " + before + " before, " + during + " during",
                    Math.abs(during - before) <= 0.05 * before);
            assertTrue("the Modbus connection is back within 5 s: " + down + " ms", down < 5000);

            // C does not start: the node goes back to B by itself and says so
            String broken = executeFailing("fogwerk:node-update " + MODBUS + " " + C);
            System.out.println(broken);
            assertTrue(broken, broken.contains("-> " + C + ": failed") && broken.contains("rolled back to " + B));
            assertEquals(B, installed(MODBUS));
            assertOneModbusBundle(B);
            await().atMost(WAIT).until(() -> connected("sim-modbus"));
            Map<?, ?> step = (Map<?, ?>) ((Map<?, ?>) shadows.get(node, "fogwerk-node").reported().get("updates"))
                    .get(MODBUS);
            assertEquals("failed", step.get("state"));
            assertEquals(B, step.get("rolledBackTo"));
            assertTrue(String.valueOf(step.get("reason")), String.valueOf(step.get("reason")).contains(MODBUS_BUNDLE));
            // E starts but its connector component FAILS: after the time limit, back to B
            String failing = executeFailing("fogwerk:node-update " + MODBUS + " " + E);
            System.out.println(failing);
            assertTrue(failing, failing.contains("-> " + E + ": failed") && failing.contains("not healthy within 10 s")
                    && failing.contains("ModbusConnectorComponent FAILED: java.lang.IllegalStateException: a broken build")
                    && failing.contains("rolled back to " + B));
            assertEquals(B, installed(MODBUS));
            assertOneModbusBundle(B);
            await().atMost(WAIT).until(() -> connected("sim-modbus"));

            // a version nobody published: nothing changes, and the order says why
            String missing = executeFailing("fogwerk:node-update " + MODBUS + " 9.9.9");
            System.out.println(missing);
            assertTrue(missing, missing.contains("-> 9.9.9: failed") && missing.contains("no feature " + MODBUS
                    + " 9.9.9 in the node's features repositories") && !missing.contains("rolled back"));
            assertOneModbusBundle(B);

            String status = execute("fogwerk:node-status");
            System.out.println(status);
            assertTrue(status, status.contains("9.9.9: failed") && status.contains("Health    ok"));

            long lastSeq = stream.lastSeq();
            await().atMost(WAIT).until(() -> stream.lastSeq() > lastSeq + 10000);
            awaitNoGaps(stream);
            List<String> steps = audit.query(new AuditQuery(null, node, null, null, "update", 0)).stream()
                    .map(e -> e.event().source() + " " + e.event().identity() + " " + e.event().value() + " "
                            + e.event().outcome())
                    .toList();
            assertTrue(steps.toString(), steps.containsAll(List.of("shell itest-admin " + B + " ordered",
                    "shell itest-admin " + B + " started", "shell itest-admin " + B + " done",
                    "shell itest-admin " + C + " failed", "shell itest-admin " + C + " rolled-back",
                    "shell itest-admin " + E + " rolled-back")));
        } finally {
            stream.close();
        }
    }

    @Test
    public void theNodesShadowOrdersAnUpdateOverMqttOnlyFromASourceThePolicyAllows() throws Exception {
        String node = System.getProperty(NODE_ID);
        // the shell's commands may still be on their way when the test begins
        await().atMost(WAIT).ignoreExceptions().until(() -> execute("fogwerk:thing-list").contains(node + " "));
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> shadows.get(node, "fogwerk-node").reported().get("features") instanceof Map);
        String topic = "$aws/things/" + node + "/shadow/name/fogwerk-node/update";
        ConcurrentLinkedQueue<String[]> answers = new ConcurrentLinkedQueue<>();
        MqttClient client = new MqttClient("tcp://127.0.0.1:1883", node + "-orders", new MemoryPersistence());
        client.connect();
        try {
            client.subscribe(topic + "/+", 1, (t, m) -> answers.add(new String[] {t,
                    new String(m.getPayload(), StandardCharsets.UTF_8)}));
            await().atMost(WAIT).ignoreExceptions()
                    .until(() -> execute("fogwerk:uplink-list").contains("CONNECTED"));
            String order = "{\"state\":{\"desired\":{\"features\":{\"" + MODBUS + "\":\"" + D + "\"}}},"
                    + "\"clientToken\":\"%s\"}";
            client.publish(topic, new MqttMessage(String.format(order, "refused-1").getBytes(StandardCharsets.UTF_8)));
            await().atMost(WAIT).until(() -> answers.stream().anyMatch(a -> a[0].endsWith("/rejected")
                    && a[1].contains("refused-1") && a[1].contains("\"code\":403")
                    && a[1].contains("aws-local may not order software updates")));
            assertTrue(installed(MODBUS) != null && !D.equals(installed(MODBUS)));

            Path policy = Paths.get(System.getProperty("karaf.etc"), "org.fogwerk.security.writes.cfg");
            Files.writeString(policy, "\naws-local.updates = true\n", StandardOpenOption.APPEND);
            await().atMost(WAIT).until(() -> execute("fogwerk:policy-show").contains("aws-local allow="));
            await().atMost(WAIT).until(() -> execute("fogwerk:policy-show").lines()
                    .anyMatch(l -> l.contains("aws-local") && l.contains("updates=true")));
            client.publish(topic, new MqttMessage(String.format(order, "allowed-1").getBytes(StandardCharsets.UTF_8)));
            await().atMost(WAIT).until(() -> answers.stream().anyMatch(a -> a[0].endsWith("/accepted")
                    && a[1].contains("allowed-1")));
            await().atMost(WAIT).ignoreExceptions().until(() -> D.equals(((Map<?, ?>) shadows.get(node,
                    "fogwerk-node").reported().get("features")).get(MODBUS)));
            assertEquals(D, installed(MODBUS));
            assertOneModbusBundle(D);
            Map<?, ?> step = (Map<?, ?>) ((Map<?, ?>) shadows.get(node, "fogwerk-node").reported().get("updates"))
                    .get(MODBUS);
            assertEquals("done", step.get("state"));
            assertTrue(String.valueOf(step.get("by")), String.valueOf(step.get("by")).startsWith("aws-local uplink local"));
            await().atMost(WAIT).until(() -> connected("sim-modbus"));
            List<AuditEntry> done = audit.query(new AuditQuery(null, node, "aws-local", null, "update", 0));
            assertTrue(done.toString(), done.stream().anyMatch(e -> e.event().outcome().equals("done")
                    && e.event().value().equals(D) && e.event().identity().contains("allowed-1")));

            // a feature of its own comes, and goes again with null; one of the aggregate stays
            client.publish(topic, new MqttMessage(("{\"state\":{\"desired\":{\"features\":{\"" + EXTRA + "\":\""
                    + EXTRA_VERSION + "\"}}}}").getBytes(StandardCharsets.UTF_8)));
            await().atMost(WAIT).until(() -> EXTRA_VERSION.equals(installed(EXTRA)));
            await().atMost(WAIT).ignoreExceptions().until(() -> EXTRA_VERSION.equals(((Map<?, ?>) shadows.get(node,
                    "fogwerk-node").reported().get("features")).get(EXTRA)));
            client.publish(topic, new MqttMessage(("{\"state\":{\"desired\":{\"features\":{\"" + EXTRA
                    + "\":null}}}}").getBytes(StandardCharsets.UTF_8)));
            await().atMost(WAIT).until(() -> installed(EXTRA) == null);
            await().atMost(WAIT).ignoreExceptions().until(() -> !((Map<?, ?>) shadows.get(node,
                    "fogwerk-node").reported().get("features")).containsKey(EXTRA));
            String kept = executeFailing("fogwerk:node-update --remove fogwerk-camel-jdbc");
            assertTrue(kept, kept.contains("failed") && kept.contains("installed as part of another feature"));
            assertTrue(installed("fogwerk-camel-jdbc") != null);
        } finally {
            client.disconnect();
            client.close();
        }
    }

    // ---- versions built by the test ---------------------------------------------------------------------

    /** How a version the test builds is broken. */
    private enum Broken { NOT, ACTIVATOR, COMPONENT }

    /**
     * The built Modbus bundle as another version, and its feature. Broken: with an activator
     * that does not exist (the bundle does not start), or with a connector component whose
     * implementation throws (the bundle starts, the component FAILS).
     */
    private static void version(Path repo, Path built, String version, Broken broken) throws IOException {
        Files.createDirectories(repo);
        Path jar = repo.resolve(MODBUS_BUNDLE + "-" + version + ".jar");
        try (InputStream raw = Files.newInputStream(built); JarInputStream in = new JarInputStream(raw)) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            if (broken == Broken.ACTIVATOR) {
                manifest.getMainAttributes().putValue("Bundle-Activator",
                        "org.fogwerk.connector.modbus.internal.NoSuchActivator");
            }
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    if (broken == Broken.COMPONENT && e.getName().equals(CONNECTOR_COMPONENT)) {
                        out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" "
                                + "name=\"org.fogwerk.connector.modbus.internal.ModbusConnectorComponent\" "
                                + "configuration-policy=\"require\" configuration-pid=\"org.fogwerk.connector.modbus\">\n"
                                + "  <implementation class=\"" + FailingComponent.class.getName() + "\"/>\n"
                                + "</scr:component>\n").getBytes(StandardCharsets.UTF_8));
                    } else {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
                if (broken == Broken.COMPONENT) {
                    String name = FailingComponent.class.getName().replace('.', '/') + ".class";
                    out.putNextEntry(new JarEntry(name));
                    try (InputStream c = NodeUpdateIT.class.getResourceAsStream("/" + name)) {
                        c.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        Files.writeString(repo.resolve("fogwerk-features-" + version + ".xml"),
                "<features name=\"fogwerk-it-" + version + "\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n"
                + "  <feature name=\"" + MODBUS + "\" version=\"" + version + "\">\n"
                + "    <feature>fogwerk-core</feature>\n"
                + "    <feature>fogwerk-lib-j2mod</feature>\n"
                + "    <bundle>" + jar.toUri() + "</bundle>\n"
                + "  </feature>\n</features>\n");
    }

    // ---- the node ------------------------------------------------------------------------------------------

    /** Lets the OPC UA connection read every tag of the simulator (500) instead of the demo's 20. */
    private void streamAllOpcUaTags() throws Exception {
        Simulator opcua = await().atMost(WAIT).until(this::opcuaSimulator, s -> s != null && s.tags().size() == 500);
        StringBuilder csv = new StringBuilder("name,nodeId,samplingInterval,deadband,access,min,max,unit,description\n");
        for (SimulatedTag t : opcua.tags()) {
            csv.append(t.name()).append(',').append(t.address()).append(",,,r,,,,\n");
        }
        Path tags = Paths.get(System.getProperty("karaf.etc"), "tags", "sim-opcua.csv");
        Path temp = tags.resolveSibling("sim-opcua.csv.tmp");
        Files.writeString(temp, csv);
        Files.move(temp, tags, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> connectors.connector("sim-opcua").map(c -> c.tagCount() == 500
                && c.status().state() == ConnectorState.CONNECTED).orElse(false));
        await().atMost(WAIT).until(() -> connected("sim-modbus"));
    }

    private Simulator opcuaSimulator() throws Exception {
        for (ServiceReference<Simulator> ref : context.getServiceReferences(Simulator.class, null)) {
            Simulator s = context.getService(ref);
            if (s != null && s.status().endpoint().startsWith("opc.tcp")) {
                return s;
            }
        }
        return null;
    }

    private boolean connected(String connection) {
        return connectors.connector(connection).map(c -> c.status().state() == ConnectorState.CONNECTED).orElse(false);
    }

    private String installed(String feature) throws Exception {
        String version = null;
        for (org.apache.karaf.features.Feature f : features.listInstalledFeatures()) {
            if (f.getName().equals(feature)) {
                version = f.getVersion();
            }
        }
        return version;
    }

    /** Exactly one Modbus connector bundle, of the version, and Active: two would both connect. */
    private void assertOneModbusBundle(String version) {
        List<String> found = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (MODBUS_BUNDLE.equals(b.getSymbolicName())) {
                found.add(b.getVersion() + (b.getState() == Bundle.ACTIVE ? " Active" : " state " + b.getState()));
            }
        }
        assertEquals(List.of(version + " Active"), found);
    }

    /** Waits until every seq from the first seen to the last is there; fails naming the missing ones. */
    private static void awaitNoGaps(Stream stream) {
        try {
            await().atMost(WAIT).until(stream::noGaps);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("seq has gaps at the broker: " + stream.gaps(), e);
        }
    }

    /** A node-update that fails prints its lines and then fails the command: both, for the assertions. */
    private String executeFailing(String command) throws Exception {
        return ShellAs.runFailing(sessions, "itest-admin", ShellAs.ADMIN, command);
    }

    /** The longest time a connection was not CONNECTED (or not there) while watched. */
    private static final class Downtime {
        private final AtomicBoolean watching = new AtomicBoolean(true);
        private final AtomicLong longest = new AtomicLong();
        private final Thread watcher;

        Downtime(ConnectorRegistry registry, String connection) {
            watcher = new Thread(() -> {
                long downSince = -1;
                while (watching.get()) {
                    boolean up = registry.connector(connection).map(ConnectorInfo::status)
                            .map(s -> s.state() == ConnectorState.CONNECTED).orElse(false);
                    long now = System.currentTimeMillis();
                    if (!up && downSince < 0) {
                        downSince = now;
                    } else if (up && downSince >= 0) {
                        longest.accumulateAndGet(now - downSince, Math::max);
                        downSince = -1;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
                if (downSince >= 0) {
                    longest.accumulateAndGet(System.currentTimeMillis() - downSince, Math::max);
                }
            }, "it-downtime-" + connection);
            watcher.start();
        }

        long stop() throws InterruptedException {
            watching.set(false);
            watcher.join();
            return longest.get();
        }
    }

    /** Every value message of the node at the broker: its seq, and when the node received OPC UA values. */
    private static final class Stream implements AutoCloseable {
        private final MqttClient client;
        private final TreeSet<Long> seqs = new TreeSet<>();
        private final List<Long> opcuaReceived = new ArrayList<>();
        private final List<Long> opcuaSourced = new ArrayList<>();
        private long firstReceived = Long.MAX_VALUE;
        private long lastReceived;
        private long messages;

        Stream(String node) throws Exception {
            client = new MqttClient("tcp://127.0.0.1:1883", node + "-stream", new MemoryPersistence());
            client.connect();
            String opcuaThing = "fogwerk/" + node + "/" + node + "-sim-opcua/";
            /*
             * QoS 0 from the broker to this subscriber: the node publishes with QoS 1 and the
             * broker acknowledges every message, but the broker drops QoS 1 messages for a
             * subscriber whose acknowledgements lag (20 in flight, 1,000 queued: 0.2 s at this
             * rate), which a subscriber in the busy node's own JVM does while Karaf deploys.
             * QoS 0 over loopback TCP loses nothing while the connection stays up.
             */
            client.subscribe("fogwerk/" + node + "/#", 0, (topic, message) -> {
                String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                Matcher seq = SEQ.matcher(payload);
                if (!seq.find()) {
                    return;
                }
                Matcher received = RECEIVED.matcher(payload);
                Matcher sourced = SOURCE.matcher(payload);
                synchronized (this) {
                    messages++;
                    boolean first = seqs.add(Long.parseLong(seq.group(1)));
                    if (first && topic.startsWith(opcuaThing) && received.find() && sourced.find()) {
                        opcuaSourced.add(Long.parseLong(sourced.group(1)));
                        long at = Long.parseLong(received.group(1));
                        opcuaReceived.add(at);
                        firstReceived = Math.min(firstReceived, at);
                        lastReceived = Math.max(lastReceived, at);
                    }
                }
            });
        }

        synchronized long opcuaSpan() {
            return opcuaReceived.isEmpty() ? 0 : lastReceived - firstReceived;
        }

        synchronized long lastReceived() {
            return lastReceived;
        }

        /** OPC UA values per second in [from, to), by the machine's source time or the node's receive time. */
        synchronized double opcuaRate(long from, long to, boolean bySource) {
            long n = (bySource ? opcuaSourced : opcuaReceived).stream().filter(t -> t >= from && t < to).count();
            return n * 1000.0 / (to - from);
        }

        synchronized boolean noGaps() {
            return !seqs.isEmpty() && seqs.last() - seqs.first() + 1 == seqs.size();
        }

        /** The first missing seq ranges, for a failure message. */
        synchronized String gaps() {
            StringBuilder out = new StringBuilder();
            long expected = seqs.isEmpty() ? 0 : seqs.first();
            int ranges = 0;
            for (long s : seqs) {
                if (s != expected && ranges++ < 10) {
                    out.append(expected).append("..").append(s - 1).append(' ');
                }
                expected = s + 1;
            }
            return out + "(" + (seqs.isEmpty() ? 0 : seqs.last() - seqs.first() + 1 - seqs.size()) + " missing of "
                    + (seqs.isEmpty() ? 0 : seqs.last() - seqs.first() + 1) + ")";
        }

        synchronized long firstSeq() {
            return seqs.first();
        }

        synchronized long lastSeq() {
            return seqs.isEmpty() ? 0 : seqs.last();
        }

        synchronized long count() {
            return messages;
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
