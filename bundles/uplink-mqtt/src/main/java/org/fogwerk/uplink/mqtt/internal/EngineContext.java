package org.fogwerk.uplink.mqtt.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.spi.ProfileContext;

/**
 * What a profile may use of the node: the uplink's settings and configuration, and the node's
 * services, which are optional and dynamic (a supplier returns {@code null} while that service
 * is absent).
 *
 * @param settings  the uplink's common settings
 * @param config    the uplink's whole configuration, for the profile's own keys
 * @param dataDir   a directory of the profile's own for state that must survive restarts
 * @param listeners registers a shadow listener and returns how to unregister it
 * @param gateway   the write gateway every write from the broker goes through (role, policy, audit)
 * @param thingOf   the thing of a connection's tag
 */
public record EngineContext(UplinkSettings settings, MqttUplinkConfig config, Path dataDir,
        Function<ShadowListener, Runnable> listeners, Supplier<ShadowStore> shadows, Supplier<ThingRegistry> things,
        Supplier<TagBus> bus, Supplier<ConnectorRegistry> connectors, Supplier<WriteGateway> gateway,
        BiFunction<String, String, String> thingOf) implements ProfileContext {

    @Override
    public String uplink() {
        return settings.name;
    }

    @Override
    public String node() {
        return settings.node;
    }

    @Override
    public Map<String, Object> configuration() {
        return configurationOf(config);
    }

    /**
     * Every key of a configuration by its name in the file, with defaults applied; secrets
     * ({@code *.password}) are left out.
     */
    public static Map<String, Object> configurationOf(MqttUplinkConfig config) {
        Map<String, Object> keys = new TreeMap<>();
        for (Method m : MqttUplinkConfig.class.getDeclaredMethods()) {
            String key = UplinkSettings.keyOf(m.getName());
            if (key.endsWith("password")) {
                continue;
            }
            try {
                keys.put(key, m.invoke(config));
            } catch (InvocationTargetException | IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + key, e);
            }
        }
        return Collections.unmodifiableMap(keys);
    }

    @Override
    public boolean tls() {
        return settings.tls;
    }

    @Override
    public int qos() {
        return settings.qos;
    }

    @Override
    public int maxRequestBytes() {
        return settings.commandMaxBytes;
    }

    @Override
    public boolean includesThing(String thing) {
        return settings.things.matches(thing);
    }

    @Override
    public boolean includesTag(String connection, String tag) {
        return settings.tags.matchesTag(connection, tag);
    }

    @Override
    public String thingOf(String connection, String tag) {
        return thingOf.apply(connection, tag);
    }

    @Override
    public Path dataDirectory() {
        return dataDir;
    }

    @Override
    public Runnable listen(ShadowListener listener) {
        return listeners.apply(listener);
    }

    @Override
    public ShadowStore shadowStore() {
        return shadows.get();
    }

    @Override
    public ThingRegistry thingRegistry() {
        return things.get();
    }

    @Override
    public TagBus tagBus() {
        return bus.get();
    }

    @Override
    public ConnectorRegistry connectorRegistry() {
        return connectors.get();
    }

    @Override
    public WriteGateway writeGateway() {
        return gateway.get();
    }
}
