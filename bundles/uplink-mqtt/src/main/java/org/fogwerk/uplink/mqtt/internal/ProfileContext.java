package org.fogwerk.uplink.mqtt.internal;

import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.osgi.framework.BundleContext;

/**
 * What a profile may use of the node. The services are optional and dynamic: a supplier
 * returns {@code null} while that service is absent.
 *
 * @param settings      the uplink's common settings
 * @param config        the uplink's whole configuration, for the profile's own keys
 * @param bundleContext for services the profile registers itself (listeners); {@code null} in plain unit tests
 * @param dataDir       a directory of its own for state that must survive restarts
 * @param gateway       the write gateway every write from the broker goes through (role, policy, audit)
 * @param thingOf       the thing of a connection's tag
 */
public record ProfileContext(UplinkSettings settings, MqttUplinkConfig config, BundleContext bundleContext, Path dataDir,
        Supplier<ShadowStore> shadows, Supplier<ThingRegistry> things, Supplier<TagBus> bus,
        Supplier<ConnectorRegistry> connectors, Supplier<WriteGateway> gateway,
        BiFunction<String, String, String> thingOf) {
}
