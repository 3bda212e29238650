package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.support.config.LenientConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** A configuration checked key by key: every value here can work. */
public final class UplinkSettings {

    enum Payload { JSON, JSON_BATCH }

    enum FullPolicy { DROP_OLDEST, REFUSE }

    /** The largest packet MQTT 3.1.1 can encode (remaining length of four bytes). */
    static final int MQTT_MAX_PACKET = 268_435_455;
    /** Room a json-batch leaves for the topic, the packet header and the fields spliced in when sent. */
    static final int PACKET_HEADROOM = 1024;

    public final String name;
    public final String node;
    final String clientId;
    final String[] brokerUrls;
    final boolean tls;
    final int keepalive;
    final int connectTimeout;
    final String username;
    final char[] password;
    final Path caFile;
    final Path certFile;
    final Path keyFile;
    final char[] keyPassword;
    final boolean hostnameVerification;
    public final int qos;
    final TopicTemplate topic;
    final Payload payload;
    public final GlobList things;
    public final GlobList tags;
    final int batchMaxValues;
    final int batchMaxBytes;
    final int batchLingerMs;
    final long outboxMaxBytes;
    final long outboxMaxMessages;
    final FullPolicy fullPolicy;
    final int commitMs;
    final int maxInflight;
    final int maxPacketBytes;
    final String commandTopic;
    final TopicTemplate replyTopic;
    final int commandMaxBytes;
    final long reconnectMinMs;
    final long reconnectMaxMs;

    private UplinkSettings(MqttUplinkConfig c, String name, String node) throws InvalidConfigurationException {
        this.name = name;
        this.node = node;
        String id = c.client_id().trim();
        String awsThing = "aws-iot".equals(c.profile().trim()) ? c.aws_thing_name().trim() : "";
        this.clientId = !id.isEmpty() ? id : !awsThing.isEmpty() ? awsThing
                : "sparkplug".equals(c.profile().trim()) ? sparkplugClientId(c, node)
                : "fogwerk-" + node + "-" + name;
        if (clientId.length() > 65535) {
            throw new InvalidConfigurationException(null, "client.id", "too long");
        }
        List<String> urls = new ArrayList<>();
        boolean anyTls = false;
        for (String raw : c.broker_urls().split(",")) {
            String url = raw.trim();
            if (url.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new InvalidConfigurationException(null, "broker.urls", "'" + url + "' is not a URL: " + e.getReason());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
                throw new InvalidConfigurationException(null, "broker.urls", "'" + url + "': scheme must be tcp:// or ssl://");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new InvalidConfigurationException(null, "broker.urls", "'" + url + "' has no host");
            }
            if (uri.getPort() <= 0 || uri.getPort() > 65535) {
                throw new InvalidConfigurationException(null, "broker.urls", "'" + url + "' needs a port (tcp://host:1883, ssl://host:8883)");
            }
            anyTls |= scheme.equals("ssl");
            urls.add(url);
        }
        if (urls.isEmpty()) {
            // an empty or garbled file must not send to whatever broker answers on some default address
            throw new InvalidConfigurationException(null, "broker.urls", "missing: an uplink sends only to a broker it is told"
                    + " (broker.urls = tcp://host:1883 or ssl://host:8883)");
        }
        this.brokerUrls = urls.toArray(new String[0]);
        this.tls = anyTls;
        this.keepalive = range("keepalive", c.keepalive(), 0, 65535);
        this.connectTimeout = range("connect.timeout", c.connect_timeout(), 1, 600);
        this.username = c.username().trim();
        this.password = c._password().toCharArray();
        if (password.length > 0 && username.isEmpty()) {
            throw new InvalidConfigurationException(null, ".password", "a password needs a username");
        }
        this.caFile = file("tls.ca.file", c.tls_ca_file());
        this.certFile = file("tls.cert.file", c.tls_cert_file());
        this.keyFile = file("tls.key.file", c.tls_key_file());
        this.keyPassword = c.tls_key_password().toCharArray();
        if ((certFile == null) != (keyFile == null)) {
            throw new InvalidConfigurationException(null, certFile == null ? "tls.cert.file" : "tls.key.file",
                    "tls.cert.file and tls.key.file go together");
        }
        if (!tls && (caFile != null || certFile != null)) {
            throw new InvalidConfigurationException(null, "broker.urls", "TLS files are set but no broker URL is ssl://");
        }
        this.hostnameVerification = c.tls_hostname_verification();
        if (c.qos() != 0 && c.qos() != 1) {
            throw new InvalidConfigurationException(null, "qos", c.qos() + " is not supported (0 or 1)");
        }
        this.qos = c.qos();
        this.topic = TopicTemplate.parse("topic.template", c.topic_template().trim(), TopicTemplate.ALL, false);
        switch (c.payload().trim()) {
            case "json": this.payload = Payload.JSON; break;
            case "json-batch": this.payload = Payload.JSON_BATCH; break;
            default: throw new InvalidConfigurationException(null, "payload", "'" + c.payload() + "' is not json or json-batch");
        }
        this.things = GlobList.parse("include.things", c.include_things());
        this.tags = GlobList.parse("include.tags", c.include_tags());
        this.batchMaxValues = range("batch.max.values", c.batch_max_values(), 1, 100_000);
        this.batchMaxBytes = range("batch.max.bytes", c.batch_max_bytes(), 256, 64 * 1024 * 1024);
        this.batchLingerMs = range("batch.linger.ms", c.batch_linger_ms(), 0, 60_000);
        if (c.outbox_max_bytes() < 64 * 1024) {
            throw new InvalidConfigurationException(null, "outbox.max.bytes", c.outbox_max_bytes() + " is below 65536");
        }
        this.outboxMaxBytes = c.outbox_max_bytes();
        if (c.outbox_max_messages() < 0) {
            throw new InvalidConfigurationException(null, "outbox.max.messages", "must not be negative");
        }
        this.outboxMaxMessages = c.outbox_max_messages();
        switch (c.outbox_full_policy().trim()) {
            case "drop-oldest": this.fullPolicy = FullPolicy.DROP_OLDEST; break;
            case "refuse": this.fullPolicy = FullPolicy.REFUSE; break;
            default: throw new InvalidConfigurationException(null, "outbox.full.policy", "'" + c.outbox_full_policy()
                    + "' is not drop-oldest or refuse");
        }
        this.commitMs = range("outbox.commit.ms", c.outbox_commit_ms(), 1, 1000);
        this.maxInflight = range("max.inflight", c.max_inflight(), 1, 65535);
        this.maxPacketBytes = range("max.packet.bytes", c.max_packet_bytes(), 1024, MQTT_MAX_PACKET);
        if (payload == Payload.JSON_BATCH && batchMaxBytes + PACKET_HEADROOM > maxPacketBytes) {
            throw new InvalidConfigurationException(null, "batch.max.bytes", batchMaxBytes + " leaves no room for topic and header below"
                    + " max.packet.bytes " + maxPacketBytes + " (at most " + (maxPacketBytes - PACKET_HEADROOM) + ")");
        }
        String cmd = c.command_topic().trim();
        if (cmd.isEmpty()) {
            this.commandTopic = null;
        } else {
            this.commandTopic = TopicTemplate.parse("command.topic", cmd, Set.of("node"), true)
                    .render(node, null, null, null);
        }
        this.replyTopic = TopicTemplate.parse("reply.topic", c.reply_topic().trim(), Set.of("node", "thing"), false);
        this.commandMaxBytes = range("command.max.bytes", c.command_max_bytes(), 64, 1024 * 1024);
        if (c.reconnect_min_ms() < 10) {
            throw new InvalidConfigurationException(null, "reconnect.min.ms", "must be at least 10");
        }
        if (c.reconnect_max_ms() < c.reconnect_min_ms()) {
            throw new InvalidConfigurationException(null, "reconnect.max.ms", "must not be below reconnect.min.ms");
        }
        this.reconnectMinMs = c.reconnect_min_ms();
        this.reconnectMaxMs = c.reconnect_max_ms();
    }

    /**
     * A Sparkplug edge node's own id, unique on the broker by the rules of Sparkplug, rather than
     * the host name, which nodes cloned from one image share and which would knock them off the
     * broker in turn.
     */
    private static String sparkplugClientId(MqttUplinkConfig c, String node) {
        String edgeNode = c.sparkplug_edge_node_id().trim();
        return "fogwerk-" + c.sparkplug_group_id().trim() + "-" + (edgeNode.isEmpty() ? node : edgeNode);
    }

    /** The client id the uplink connects with. */
    public String clientId() {
        return clientId;
    }

    public static UplinkSettings of(MqttUplinkConfig config, String name, String defaultNode) throws InvalidConfigurationException {
        if (name == null || name.isEmpty() || !name.matches("[A-Za-z0-9_.]+")) {
            throw new InvalidConfigurationException(null, "name", "'" + name + "' must be letters, digits, '_' or '.'");
        }
        checkTypes(config);
        String node = config.node_id().trim().isEmpty() ? defaultNode : config.node_id().trim();
        if (node.isEmpty() || node.indexOf('/') >= 0 || node.indexOf('+') >= 0 || node.indexOf('#') >= 0) {
            throw new InvalidConfigurationException(null, "node.id", "'" + node + "' must not be empty or contain / + #");
        }
        return new UplinkSettings(config, name, node);
    }

    private static int range(String key, int v, int min, int max) throws InvalidConfigurationException {
        if (v < min || v > max) {
            throw new InvalidConfigurationException(null, key, v + " is outside " + min + ".." + max);
        }
        return v;
    }

    private static Path file(String key, String value) throws InvalidConfigurationException {
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        Path p;
        try {
            p = Path.of(v);
        } catch (InvalidPathException e) {
            throw new InvalidConfigurationException(null, key, "'" + v + "' is not a path: " + e.getReason());
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidConfigurationException(null, key, "file " + p + " does not exist");
        }
        if (!Files.isReadable(p)) {
            throw new InvalidConfigurationException(null, key, "file " + p + " is not readable");
        }
        return p;
    }

    /**
     * Reads every key once: DS converts a file's text to the key's type only when the key is read,
     * so {@code keepalive = soon} would otherwise end in a conversion exception instead of a FAILED
     * uplink naming the key.
     */
    static void checkTypes(MqttUplinkConfig config) throws InvalidConfigurationException {
        Method[] keys = MqttUplinkConfig.class.getDeclaredMethods();
        Arrays.sort(keys, Comparator.comparing(Method::getName));
        for (Method key : keys) {
            try {
                key.invoke(config);
            } catch (InvocationTargetException e) {
                throw new InvalidConfigurationException(null, keyOf(key.getName()), notA(key.getReturnType(), e.getCause()));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + key.getName(), e);
            }
        }
    }

    /** The key in the file of an attribute method, by the DS naming rules ({@code broker_urls}: broker.urls). */
    static String keyOf(String method) {
        return LenientConfig.key(method);
    }

    private static String notA(Class<?> type, Throwable cause) {
        return LenientConfig.badValue(cause) + " is not " + LenientConfig.kind(type);
    }

}
