package org.fogwerk.uplink.sparkplug.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.MqttUplinkConfig;
import org.fogwerk.uplink.mqtt.internal.EngineContext;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;

/** Sparkplug uplinks for the tests, wired as the component wires them. */
final class Nodes {

    static final String NODE = "node1";

    private Nodes() {
    }

    /** A group of its own per test: tests share the machine's broker. */
    static String group() {
        return "fwtest" + Long.toHexString(System.nanoTime());
    }

    static Map<String, Object> config(String url, String group, Object... extra) {
        Map<String, Object> m = new HashMap<>(TestSupport.map("broker.urls", url, "profile", "sparkplug",
                "sparkplug.group.id", group, "sparkplug.edge.node.id", "edge1", "reconnect.min.ms", 100,
                "reconnect.max.ms", 400, "batch.linger.ms", 20));
        m.putAll(TestSupport.map(extra));
        return m;
    }

    static SparkplugProfile profile(Path dir, Map<String, Object> config, CoreNode core, Supplier<ShadowStore> shadows)
            throws Exception {
        return new SparkplugProfile(context(dir, config, core, shadows));
    }

    static EngineContext context(Path dir, Map<String, Object> config, CoreNode core, Supplier<ShadowStore> shadows)
            throws Exception {
        MqttUplinkConfig c = TestSupport.config(config);
        UplinkSettings settings = UplinkSettings.of(c, "sp", NODE);
        // the store may be bound later in a test: the gateway follows it
        java.util.concurrent.atomic.AtomicReference<Object[]> made = new java.util.concurrent.atomic.AtomicReference<>();
        Supplier<WriteGateway> gateway = () -> {
            ShadowStore store = shadows.get();
            if (core == null) {
                return null;
            }
            Object[] m = made.get();
            if (m == null || m[0] != store) {
                m = new Object[] {store, core.gateway(store, TestSupport.OPEN_POLICY)};
                made.set(m);
            }
            return (WriteGateway) m[1];
        };
        return new EngineContext(settings, c, dir.resolve("profile"), l -> () -> { }, shadows,
                () -> core == null ? null : core.things(), () -> core == null ? null : core.bus(),
                () -> core == null ? null : core.connectors(), gateway, thingOf(core));
    }

    /** Starts an uplink with its profile; the profile is closed with the uplink. */
    static MqttUplink start(Path dir, Map<String, Object> config, CoreNode core, Supplier<ShadowStore> shadows)
            throws Exception {
        EngineContext ctx = context(dir, config, core, shadows);
        return new MqttUplink(ctx.settings(), dir.resolve("outbox"), ctx.gateway(), ctx.thingOf(), new SparkplugProfile(ctx));
    }

    /** Starts an uplink around a profile the test keeps a hand on. */
    /** The node's core with these connections in it. */
    static CoreNode core(Connector... connections) {
        CoreNode core = new CoreNode();
        for (Connector c : connections) {
            core.add(c);
        }
        return core;
    }

    /** The same without shadows, taking the values of the core's bus as an uplink does. */
    static MqttUplink listening(Path dir, Map<String, Object> config, CoreNode core) throws Exception {
        MqttUplink uplink = start(dir, config, core, () -> null);
        core.listen(uplink, "sp");
        return uplink;
    }

    static MqttUplink start(Path dir, EngineContext ctx, SparkplugProfile profile) throws Exception {
        return new MqttUplink(ctx.settings(), dir.resolve("outbox"), ctx.gateway(), ctx.thingOf(), profile);
    }

    static MqttUplink start(Path dir, Map<String, Object> config) throws Exception {
        return start(dir, config, null, () -> null);
    }

    static BiFunction<String, String, String> thingOf(CoreNode core) {
        return (connection, tag) -> {
            ThingRegistry registry = core == null ? null : core.things();
            if (registry != null) {
                List<ThingRegistry.Target> t = registry.targets(connection, tag);
                if (!t.isEmpty()) {
                    return t.get(0).thing();
                }
            }
            return connection;
        };
    }
}
