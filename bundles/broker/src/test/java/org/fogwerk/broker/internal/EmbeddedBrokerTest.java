package org.fogwerk.broker.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

class EmbeddedBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    private final List<EmbeddedBroker> brokers = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws MqttException {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 100);
            }
            c.close();
        }
        brokers.forEach(EmbeddedBroker::deactivate);
    }

    @Test
    void modeOnServesQos1BetweenTwoClients() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("mode", "on", "port", port));
        awaitState(broker, BrokerState.RUNNING);
        assertEquals("tcp://127.0.0.1:" + port, broker.status().endpoint());

        CountDownLatch received = new CountDownLatch(1);
        AtomicReference<String> payload = new AtomicReference<>();
        AtomicReference<Integer> qos = new AtomicReference<>();
        MqttClient subscriber = connect(port, "sub-1", (String) null);
        subscriber.subscribe("fogwerk/demo/#", 1, (topic, message) -> {
            payload.set(new String(message.getPayload(), StandardCharsets.UTF_8));
            qos.set(message.getQos());
            received.countDown();
        });
        MqttClient publisher = connect(port, "pub-1", (String) null);
        publisher.publish("fogwerk/demo/press01/temperature", "{\"v\":21.5}".getBytes(StandardCharsets.UTF_8), 1,
                false);

        assertTrue(received.await(WAIT.toSeconds(), TimeUnit.SECONDS), "subscriber got the message");
        assertEquals("{\"v\":21.5}", payload.get());
        assertEquals(1, qos.get());
        await().atMost(WAIT).until(() -> broker.status().connectedClients() == 2);
        assertEquals(2, broker.connectedClientIds().size());
        assertTrue(broker.connectedClientIds().get(0).startsWith("pub-1 "));
    }

    @Test
    void aFailedSessionLoopRestartsTheBrokerAndItsStatusSaysWhy() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("mode", "on", "port", port));
        awaitState(broker, BrokerState.RUNNING);
        broker.loopFailed(new IllegalStateException("refCnt: 0, decrement: 1"));
        await().atMost(WAIT).untilAsserted(() -> assertTrue(broker.status().reason().contains(
                "after one of its session loops failed (IllegalStateException: refCnt: 0, decrement: 1)"),
                broker.status().reason()));
        assertEquals(BrokerState.RUNNING, broker.status().state());
        assertTrue(connect(port, "after-restart", (String) null).isConnected());
    }

    @Test
    void theModeIsOnByDefault() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("port", port));
        awaitState(broker, BrokerState.RUNNING);
        assertEquals("on", broker.status().mode());
        assertTrue(connect(port, "c-default", (String) null).isConnected());
    }

    @Test
    void autoModeIsRefusedSoTheNodeNeverTakesTheSiteBrokersPort() throws Exception {
        int port = freePort(); // the site's broker is down: its port is free
        Map<String, Object> config = new HashMap<>(Map.of("mode", "auto", "port", port));
        config.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.broker.cfg");
        EmbeddedBroker broker = start(config);
        assertEquals(BrokerState.FAILED, broker.status().state());
        assertTrue(broker.status().reason().contains("mode='auto': is no longer supported"), broker.status().reason());
        assertFalse(answers(port), "the port stays free for the site's broker");
    }

    @Test
    void packetsUpToTheConfiguredLimitPassAndTheDefaultTakesAJsonBatch() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("mode", "on", "port", port));
        awaitState(broker, BrokerState.RUNNING);
        CountDownLatch received = new CountDownLatch(1);
        AtomicReference<Integer> size = new AtomicReference<>();
        connect(port, "big-sub", (String) null).subscribe("fogwerk/big", 1, (topic, message) -> {
            size.set(message.getPayload().length);
            received.countDown();
        });
        MqttClient publisher = connect(port, "big-pub", (String) null);
        // a json-batch of the default batch.max.bytes, well over Moquette's own 8092-byte default
        publisher.publish("fogwerk/big", new byte[65_536], 1, false);
        assertTrue(received.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the 64 KiB message arrived");
        assertEquals(65_536, size.get());
        assertTrue(publisher.isConnected());
    }

    @Test
    void aPacketOverTheLimitClosesOnlyThatConnection() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("mode", "on", "port", port, "max.packet.bytes", 2048));
        awaitState(broker, BrokerState.RUNNING);
        MqttClient publisher = connect(port, "too-big", (String) null);
        MqttClient other = connect(port, "bystander", (String) null);
        assertThrows(MqttException.class, () -> publisher.publish("fogwerk/big", new byte[4096], 1, false));
        await().atMost(WAIT).until(() -> !publisher.isConnected());
        assertTrue(other.isConnected());
    }

    @Test
    void anEmptyClientIdWithACleanSessionIsAccepted() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("mode", "on", "port", port));
        awaitState(broker, BrokerState.RUNNING);
        // what Debian's mosquitto_sub sends
        MqttClient client = connect(port, "", (String) null);
        assertTrue(client.isConnected());
        CountDownLatch received = new CountDownLatch(1);
        client.subscribe("fogwerk/watched", 1, (topic, message) -> received.countDown());
        MqttClient publisher = connect(port, "publisher", (String) null);
        publisher.setTimeToWait(WAIT.toMillis());
        publisher.publish("fogwerk/watched", new byte[65_536], 1, false);
        assertTrue(received.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the watcher gets a 64 KiB message");
    }

    @Test
    void modeOnWithThePortTakenFailsWithTheReason() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EmbeddedBroker broker = start(Map.of("mode", "on", "port", other.getLocalPort()));
            awaitState(broker, BrokerState.FAILED);
            String reason = broker.status().reason();
            assertTrue(reason.contains("cannot start on 127.0.0.1:" + other.getLocalPort()), reason);
            assertTrue(reason.contains("BindException"), reason);
        }
    }

    @Test
    void modeOffStartsNothing() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("mode", "OFF", "port", port));
        assertEquals(BrokerState.OFF, broker.status().state());
        assertEquals("off", broker.status().mode());
        assertFalse(answers(port), "nothing listens on the port");
    }

    @Test
    void badValuesFailNamingKeyValueAndWhy() {
        assertFailed(Map.of("port", 0), "port='0': must be between 1 and 65535");
        assertFailed(Map.of("port", 70000), "port='70000': must be between 1 and 65535");
        assertFailed(Map.of("port", "abc"), "port='abc': cannot be converted");
        assertFailed(Map.of("mode", "bogus"), "mode='bogus': must be on or off");
        assertFailed(Map.of("max.packet.bytes", 100), "max.packet.bytes='100': must be between 1024 and 268435455");
        assertFailed(Map.of("bind.address", " "), "bind.address=' ': must not be empty");
        assertFailed(Map.of("allow.anonymous", false), "allow.anonymous='false': false needs username");
        assertFailed(Map.of("username", "fog"), ".password is empty");
        assertFailed(Map.of("bind.address", "0.0.0.0"), "allow.anonymous=<default>: true with bind.address '0.0.0.0'"
                + " would let any machine that reaches the port publish on the node's command and shadow topics");
        EmbeddedBroker bogus = brokers.get(3);
        assertEquals("bogus", bogus.status().mode());
        assertTrue(bogus.status().reason().startsWith("etc/org.fogwerk.broker.cfg: "), bogus.status().reason());
    }

    @Test
    void deactivateFreesThePortForTheNextInstance() throws Exception {
        int port = freePort();
        EmbeddedBroker first = start(Map.of("mode", "on", "port", port));
        awaitState(first, BrokerState.RUNNING);
        connect(port, "c-first", (String) null);
        first.deactivate();
        assertEquals(BrokerState.STOPPED, first.status().state());
        assertFalse(answers(port), "the port is closed once deactivate returns");

        EmbeddedBroker second = start(Map.of("mode", "on", "port", port));
        awaitState(second, BrokerState.RUNNING);
        assertTrue(connect(port, "c-second", (String) null).isConnected());
    }

    @Test
    void usernameAndPasswordAreChecked() throws Exception {
        int port = freePort();
        Map<String, Object> config = new HashMap<>();
        config.put("mode", "on");
        config.put("port", port);
        config.put("allow.anonymous", false);
        config.put("username", "fog");
        config.put(".password", "s3cret");
        EmbeddedBroker broker = start(config);
        awaitState(broker, BrokerState.RUNNING);

        MqttException wrong = assertThrows(MqttException.class, () -> connect(port, "c-wrong", "nope"));
        assertEquals(MqttException.REASON_CODE_FAILED_AUTHENTICATION, wrong.getReasonCode());
        MqttException anonymous = assertThrows(MqttException.class, () -> connectAnonymous(port, "c-anon"));
        assertTrue(anonymous.getReasonCode() == MqttException.REASON_CODE_FAILED_AUTHENTICATION
                || anonymous.getReasonCode() == MqttException.REASON_CODE_NOT_AUTHORIZED,
                "reason " + anonymous.getReasonCode());
        assertTrue(connect(port, "c-right", "s3cret").isConnected());
    }

    @Test
    void persistenceKeepsASmallStoreInTheDataDirectory() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = start(Map.of("mode", "on", "port", port, "persistence", true));
        awaitState(broker, BrokerState.RUNNING);
        MqttClient client = connect(port, "c-persist", (String) null);
        client.publish("fogwerk/retained", "x".getBytes(StandardCharsets.UTF_8), 1, true);
        broker.deactivate();
        long bytes;
        try (Stream<Path> files = Files.walk(dataDir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(Files.exists(dataDir.resolve("moquette_store.h2")), "H2 store written to the data directory");
        assertTrue(bytes < 8L * 1024 * 1024, "no preallocated 64 MiB queue pages: " + bytes + " bytes");

        EmbeddedBroker restarted = start(Map.of("mode", "on", "port", port, "persistence", true));
        awaitState(restarted, BrokerState.RUNNING);
        CountDownLatch retained = new CountDownLatch(1);
        connect(port, "c-after-restart", (String) null).subscribe("fogwerk/retained", 1,
                (topic, message) -> retained.countDown());
        assertTrue(retained.await(WAIT.toSeconds(), TimeUnit.SECONDS), "retained message survived the restart");
    }

    private void assertFailed(Map<String, Object> overrides, String expected) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.broker.cfg");
        EmbeddedBroker broker = start(config);
        BrokerStatus s = broker.status();
        assertEquals(BrokerState.FAILED, s.state(), String.valueOf(overrides));
        assertTrue(s.reason().contains(expected), s.reason());
    }

    private EmbeddedBroker start(Map<String, Object> config) {
        BrokerConfig typed = Converters.standardConverter().convert(config).to(BrokerConfig.class);
        EmbeddedBroker broker = new EmbeddedBroker(typed, config, dataDir);
        brokers.add(broker);
        return broker;
    }

    private static void awaitState(EmbeddedBroker broker, BrokerState state) {
        await().atMost(WAIT).until(() -> broker.status().state(), s -> s == state);
    }

    private MqttClient connect(int port, String clientId, String password) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(5);
        if (password != null) {
            options.setUserName("fog");
            options.setPassword(password.toCharArray());
        }
        return connectWith(port, clientId, options);
    }

    private MqttClient connectAnonymous(int port, String clientId) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setConnectionTimeout(5);
        return connectWith(port, clientId, options);
    }

    private MqttClient connectWith(int port, String clientId, MqttConnectOptions options) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        clients.add(client);
        client.connect(options);
        return client;
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
