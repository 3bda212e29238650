package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.uplink.mqtt.internal.aws.CloudShadowSync;
import org.fogwerk.uplink.mqtt.internal.aws.LocalShadowService;
import org.fogwerk.uplink.mqtt.internal.aws.NoDelaySockets;
import org.fogwerk.uplink.mqtt.internal.aws.ShadowSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;

/**
 * The {@code plain} profile: one JSON message per value ({@code payload=json}) or JSON batches
 * per thing ({@code json-batch}) on {@code topic.template}, with {@code seq} and
 * {@code replayed} spliced in when sent. With {@code shadow.topics=aws} it also serves the AWS
 * IoT shadow topics of the node's store on its broker.
 *
 * <p>The {@code aws-iot} profile is the same telemetry plus the synchronisation of shadows with
 * AWS IoT Core over the cloud's shadow topics; it takes no commands on {@code command.topic}
 * (desired state comes through the shadow).
 */
class PlainProfile implements Profile {

    private static final Logger LOG = LoggerFactory.getLogger(PlainProfile.class);
    private static final JsonFactory JSON = new JsonFactory();
    static final String AWS_IOT = "aws-iot";

    private final UplinkSettings s;
    private final ShadowSession shadows;
    private final boolean commands;

    PlainProfile(UplinkSettings settings) {
        this(settings, null, true);
    }

    PlainProfile(UplinkSettings settings, ShadowSession shadows, boolean commands) {
        this.s = settings;
        this.shadows = shadows;
        this.commands = commands;
    }

    /** {@code profile=plain}, with the local shadow topics when {@code shadow.topics=aws}. */
    static Profile plain(ProfileContext c) throws ConfigException {
        return plain(c, listen(c.bundleContext()));
    }

    static Profile plain(ProfileContext c, Function<ShadowListener, Runnable> listen) throws ConfigException {
        String topics = c.config().shadow_topics().trim();
        if (topics.isEmpty()) {
            return new PlainProfile(c.settings());
        }
        if (!topics.equals("aws")) {
            throw new ConfigException("shadow.topics", "'" + topics
                    + "' is not a kind of shadow topics (aws, or empty)");
        }
        return new PlainProfile(c.settings(), new LocalShadowService(c.settings().name, c.shadows(), c.gateway(),
                c.settings().commandMaxBytes, c.settings().things::matches, listen), true);
    }

    /** {@code profile=aws-iot}. */
    static Profile awsIot(ProfileContext c) throws ConfigException {
        return awsIot(c, listen(c.bundleContext()));
    }

    /** {@code listen} registers the sync's listener with the shadow store. */
    static Profile awsIot(ProfileContext c, Function<ShadowListener, Runnable> listen) throws ConfigException {
        MqttUplinkConfig config = c.config();
        if (!config.shadow_topics().trim().isEmpty()) {
            throw new ConfigException("shadow.topics", "not with profile aws-iot: the cloud serves the shadow topics");
        }
        String thing = config.aws_thing_name().trim();
        if (thing.isEmpty()) {
            throw new ConfigException("aws.thing.name", "profile aws-iot needs the thing name of the certificate");
        }
        checkName("aws.thing.name", thing, 128);
        CloudShadowSync.Direction direction = CloudShadowSync.Direction.of(config.aws_sync_direction().trim());
        if (direction == null) {
            throw new ConfigException("aws.sync.direction", "'" + config.aws_sync_direction()
                    + "' is not both, device-to-cloud or cloud-to-device");
        }
        if (config.aws_reply_timeout_ms() < 100 || config.aws_reply_timeout_ms() > 600_000) {
            throw new ConfigException("aws.reply.timeout.ms", config.aws_reply_timeout_ms()
                    + " is outside 100..600000");
        }
        if (!c.settings().tls) {
            LOG.warn("Uplink {}: profile aws-iot without an ssl:// broker URL; AWS IoT Core accepts only TLS",
                    c.settings().name);
        }
        List<CloudShadowSync.Target> targets = targets(config.aws_shadows(), thing);
        try {
            CloudShadowSync sync = new CloudShadowSync(c.settings().name, targets, direction, c.shadows(), c.gateway(),
                    c.dataDir(), config.aws_reply_timeout_ms(), listen);
            return new PlainProfile(c.settings(), sync, false);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("aws.shadows", "cannot open the sync book in " + c.dataDir() + ": " + e);
        }
    }

    /** {@code thing[:shadow],...}; empty: the classic shadow of the uplink's thing. */
    static List<CloudShadowSync.Target> targets(String value, String thing) throws ConfigException {
        List<CloudShadowSync.Target> targets = new ArrayList<>();
        for (String raw : value.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            String t = colon < 0 ? item : item.substring(0, colon).trim();
            String shadow = colon < 0 ? "" : item.substring(colon + 1).trim();
            checkName("aws.shadows", t, 128);
            if (!shadow.isEmpty()) {
                checkName("aws.shadows", shadow, 64);
            }
            CloudShadowSync.Target target = new CloudShadowSync.Target(t, shadow);
            if (targets.contains(target)) {
                throw new ConfigException("aws.shadows", "'" + item + "' is listed twice");
            }
            targets.add(target);
        }
        if (targets.isEmpty()) {
            targets.add(new CloudShadowSync.Target(thing, ""));
        }
        return targets;
    }

    /** Thing and shadow names: letters, digits, ':' '_' '-' (a ':' in a thing name needs the shadow given too). */
    private static void checkName(String key, String name, int max) throws ConfigException {
        if (name.isEmpty() || name.length() > max || !name.matches("[A-Za-z0-9_:-]+")) {
            throw new ConfigException(key, "'" + name + "' is not a name (1.." + max + " of a-z A-Z 0-9 _ - :)");
        }
    }

    private static Function<ShadowListener, Runnable> listen(BundleContext context) {
        return listener -> {
            if (context == null) {
                return () -> { };
            }
            ServiceRegistration<ShadowListener> reg = context.registerService(ShadowListener.class, listener, null);
            return () -> {
                try {
                    reg.unregister();
                } catch (IllegalStateException e) {
                    // gone with the bundle
                }
            };
        };
    }

    @Override
    public Encoder encoder() {
        PayloadEncoder json = new PayloadEncoder(JSON, s.node);
        return new Encoder() {
            @Override
            public String topic(String connection, String thing, TagValue v) {
                return s.topic.render(s.node, connection, thing, batched() ? "batch" : v.tag());
            }

            @Override
            public byte[] single(TagValue v, String thing) {
                return json.single(v, thing);
            }

            @Override
            public byte[] batch(String thing, List<TagValue> values) {
                return json.batch(thing, values);
            }
        };
    }

    @Override
    public boolean batched() {
        return s.payload == UplinkSettings.Payload.JSON_BATCH;
    }

    @Override
    public boolean jsonPayloads() {
        return true;
    }

    @Override
    public void send(MqttAsyncClient client, String topic, byte[] stored, int offset, long seq, boolean replay,
            int qos, IMqttActionListener ack) throws MqttException {
        client.publish(topic, PayloadEncoder.published(stored, offset, seq, replay), qos, false, null, ack);
    }

    /** The shadow topics of this profile, {@code null} for none. */
    ShadowSession shadowSession() {
        return shadows;
    }

    /** Shadow requests and answers are small round trips: no Nagle delay on their session. */
    @Override
    public void beforeConnect(MqttConnectOptions options) {
        if (shadows != null) {
            options.setSocketFactory(NoDelaySockets.wrap(options.getSocketFactory()));
        }
    }

    @Override
    public void connected(MqttAsyncClient client) {
        if (shadows != null) {
            shadows.connected(client);
        }
    }

    @Override
    public boolean messageArrived(String topic, MqttMessage message) {
        return shadows != null && shadows.messageArrived(topic, message);
    }

    @Override
    public boolean commands() {
        return commands;
    }

    @Override
    public void connectionLost() {
        if (shadows != null) {
            shadows.connectionLost();
        }
    }

    @Override
    public void close() {
        if (shadows != null) {
            shadows.close();
        }
    }
}
