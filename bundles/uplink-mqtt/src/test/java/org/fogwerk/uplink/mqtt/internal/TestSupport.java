package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.Things;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.awaitility.Awaitility.await;

/** Brokers, subscribers and configurations for the tests. */
public final class TestSupport {

    /** A write policy that lets every remote source write and create everything, for tests of the transport. */
    public static final String[] OPEN_POLICY = {"mqtt-command.allow = **", "mqtt-command.create = true",
        "aws-local.allow = **", "aws-local.create = true", "aws-cloud.allow = **", "aws-cloud.create = true",
        "sparkplug.allow = **", "sparkplug.create = true"};


    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final BiFunction<String, String, String> THING_IS_CONNECTION = (c, t) -> c;

    private TestSupport() {
    }

    /** The registries behind the tests' write gateways; its threads are daemons and live as long as the test JVM. */
    private static final CoreNode CORE = new CoreNode();

    /**
     * Every thing a test names is one of the node's, a twin with no tags behind it: the tests
     * of the shadow protocol, the write policy and node scope have tests of their own.
     */
    private static final ThingRegistry EVERY_NAME_A_THING = Things.everyNameAThing(false);

    /** The node's real write gateway over {@code store}, every name a thing of the node's, every source allowed. */
    public static WriteGateway openGateway(ShadowStore store) {
        return CORE.gateway(EVERY_NAME_A_THING, store, OPEN_POLICY);
    }

    /** The audit trail of the gateways {@link #openGateway} gives. */
    public static List<AuditEvent> audited() {
        return CORE.audit.events();
    }


    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The typed configuration of a file with these keys; the machine's Mosquitto unless broker.urls is given. */
    public static MqttUplinkConfig config(Map<String, Object> values) {
        Map<String, Object> withBroker = new HashMap<>(values);
        withBroker.putIfAbsent("broker.urls", "tcp://127.0.0.1:1883");
        return Converters.standardConverter().convert(withBroker).to(MqttUplinkConfig.class);
    }

    public static UplinkSettings settings(String name, Map<String, Object> values) throws InvalidConfigurationException {
        return UplinkSettings.of(config(values), name, "node1");
    }

    /**
     * The engine with the plain profile, its outbox in {@code outbox}, sending to {@code url}, with no
     * write gateway and each connection its own thing; further configuration as {@code key, value, ...}.
     */
    public static MqttUplink uplink(String name, String url, Path outbox, Object... keysAndValues) throws Exception {
        Map<String, Object> values = map(keysAndValues);
        values.put("broker.urls", url);
        return new MqttUplink(settings(name, values), outbox, () -> null, THING_IS_CONNECTION);
    }

    /** The same, once it has connected to the broker. */
    public static MqttUplink connected(String name, String url, Path outbox, Object... keysAndValues)
            throws Exception {
        MqttUplink uplink = uplink(name, url, outbox, keysAndValues);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.CONNECTED);
        } catch (RuntimeException | Error e) {
            uplink.close();
            throw e;
        }
        return uplink;
    }

    /** What a test checks of the messages a subscriber got and of the uplink that sent them. */
    @FunctionalInterface
    public interface Delivery {
        void check(List<JsonNode> got, MqttUplink uplink) throws Exception;
    }

    /**
     * Starts an uplink on the outbox in {@code box} against a broker of the test's own, lets it send
     * everything waiting there, and, once a subscriber has at least {@code atLeast} messages, hands
     * them and the still running uplink to {@code delivery}.
     */
    public static void sendOutbox(Path dir, String name, Path box, int atLeast, Delivery delivery) throws Exception {
        try (Mosquitto broker = new Mosquitto(dir);
                Subscriber sub = new Subscriber(broker.url(), "fogwerk/#", true, 1);
                MqttUplink uplink = uplink(name, broker.url(), box)) {
            uplink.flush().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.size() >= atLeast);
            delivery.check(sub.snapshot(), uplink);
        }
    }

    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A mosquitto of our own on a free port, stoppable and restartable on the same port. */
    public static final class Mosquitto implements AutoCloseable {
        public final int port;
        private final Path conf;
        private Process process;

        public Mosquitto(Path dir, String... extraConfig) throws IOException {
            this.port = freePort();
            this.conf = dir.resolve("mosquitto-" + port + ".conf");
            List<String> lines = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true",
                    // started as root mosquitto switches to user 'mosquitto', which cannot write our temp dir
                    "user " + System.getProperty("user.name"),
                    "persistence true", "persistence_location " + dir.resolve("mq-" + port) + "/",
                    "max_inflight_messages 0", "max_queued_messages 0"));
            Files.createDirectories(dir.resolve("mq-" + port));
            for (String extra : extraConfig) {
                if (extra.startsWith("allow_anonymous")) {
                    lines.remove("allow_anonymous true");
                }
                lines.add(extra);
            }
            Files.write(conf, lines, StandardCharsets.UTF_8);
            start();
        }

        public void start() throws IOException {
            process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(conf.resolveSibling("mosquitto-" + port + ".log").toFile())
                    .start();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        /** Stops gracefully (SIGTERM), so mosquitto keeps the subscribers' sessions. */
        public void stop() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }

        public String url() {
            return "tcp://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null && process.isAlive()) {
                stop();
            }
        }
    }

    /**
     * What a test class runs all its tries against: a mosquitto of its own and a shadow store in a
     * temporary directory, and the uplink under test once the class has made it over both. Closing
     * it closes the uplink, then the store, then the broker.
     */
    public static final class Bench implements AutoCloseable {
        public final Path dir;
        public final Mosquitto broker;
        private ShadowStoreImpl store;
        private MqttUplink uplink;

        public Bench(String prefix, String... brokerConfig) throws IOException {
            this.dir = Files.createTempDirectory(prefix);
            this.broker = new Mosquitto(dir, brokerConfig);
            this.store = ShadowStores.open(dir.resolve("shadows"));
        }

        /** The store, the one opened last. */
        public ShadowStoreImpl store() {
            return store;
        }

        /** Closes the store and opens it again from its files, as a restart of the node does. */
        public ShadowStoreImpl reopenStore() throws IOException {
            store.close();
            store = ShadowStores.open(dir.resolve("shadows"));
            return store;
        }

        public MqttUplink uplink() {
            return uplink;
        }

        /** The uplink under test, closed with the bench. */
        public MqttUplink uplink(MqttUplink made) {
            this.uplink = made;
            return made;
        }

        @Override
        public void close() throws InterruptedException {
            uplink.close();
            store.close();
            broker.close();
        }
    }

    /** A plain Paho subscriber that records what arrives. */
    public static final class Subscriber implements AutoCloseable {
        final List<String> topics = new ArrayList<>();
        final List<JsonNode> messages = new ArrayList<>();
        private final MqttClient client;
        private boolean closed;

        /**
         * QoS 0 subscription: the shared broker's default limits (1000 queued QoS 1 messages per
         * client) would otherwise drop messages for a subscriber that lags behind a fast publisher.
         */
        public Subscriber(String url, String filter) throws MqttException {
            this(url, filter, true, 0);
        }

        /** With {@code cleanSession} false the broker queues for us while we are away. */
        public Subscriber(String url, String filter, boolean cleanSession, int qos) throws MqttException {
            this(url, filter, cleanSession, qos, "test-sub-" + UUID.randomUUID(), List.of());
        }

        /** Continues the session of an earlier subscriber with the same client id, after what it got. */
        public Subscriber(String url, String filter, boolean cleanSession, int qos, String clientId, List<JsonNode> earlier)
                throws MqttException {
            messages.addAll(earlier);
            client = new MqttClient(url, clientId, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(cleanSession);
            o.setMaxInflight(1000);
            o.setAutomaticReconnect(false);
            // a request goes at once, not after the broker's delayed ACK of the one before
            o.setSocketFactory(NoDelaySockets.wrap(null));
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    record(topic, message.getPayload());
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            client.connect(o);
            client.subscribe(filter, qos);
        }

        private void record(String topic, byte[] payload) {
            JsonNode node;
            try {
                node = MAPPER.readTree(payload);
            } catch (IOException e) {
                node = MAPPER.getNodeFactory().textNode(new String(payload, StandardCharsets.UTF_8));
            }
            synchronized (this) {
                topics.add(topic);
                messages.add(node);
            }
        }

        public synchronized int size() {
            return messages.size();
        }

        public synchronized List<JsonNode> snapshot() {
            return new ArrayList<>(messages);
        }

        public synchronized List<String> topicSnapshot() {
            return new ArrayList<>(topics);
        }

        public String clientId() {
            return client.getClientId();
        }

        public void publish(String topic, byte[] payload) throws MqttException {
            client.publish(topic, payload, 1, false);
        }

        /** Publishes with the retain flag: the broker keeps it for every later subscription (empty clears it). */
        public void publishRetained(String topic, byte[] payload) throws MqttException {
            client.publish(topic, payload, 1, true);
        }

        @Override
        public void close() throws MqttException {
            if (closed) {
                return;
            }
            closed = true;
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close(true);
        }
    }
}
