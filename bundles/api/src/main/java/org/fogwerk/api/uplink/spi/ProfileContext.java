package org.fogwerk.api.uplink.spi;

import java.nio.file.Path;
import java.util.Map;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the MQTT uplink engine gives a profile: the uplink's configuration and the node's
 * services. The services are optional and dynamic: a method returns {@code null} while that
 * service is absent, so ask each time rather than keep the answer.
 */
@ProviderType
public interface ProfileContext {

    /** The uplink's name (the part of its file name after {@code org.fogwerk.uplink.mqtt-}). */
    String uplink();

    /** The node id the uplink uses in its topics ({@code node.id}, or the node's own id). */
    String node();

    /**
     * Every key of the uplink's configuration as it is written in the file
     * ({@code sparkplug.group.id}), with its default when the file leaves it out, converted to
     * the key's type ({@code String}, {@code Integer}, {@code Long}, {@code Boolean}).
     */
    Map<String, Object> configuration();

    /** Whether at least one broker URL is {@code ssl://}. */
    boolean tls();

    /** The QoS of outbox messages ({@code qos}). */
    int qos();

    /** The largest incoming request the uplink accepts ({@code command.max.bytes}). */
    int maxRequestBytes();

    /** Whether a thing's values and shadows belong to this uplink ({@code include.things}). */
    boolean includesThing(String thing);

    /** Whether a connection's tag is sent by this uplink ({@code include.tags}). */
    boolean includesTag(String connection, String tag);

    /** The thing a connection's tag belongs to, the connection's name when no thing maps it. */
    String thingOf(String connection, String tag);

    /** A directory of the profile's own for state that must survive restarts of the uplink and the node. */
    Path dataDirectory();

    /**
     * Registers a listener with the node's shadow store for as long as the profile wants it.
     *
     * @return unregisters the listener
     */
    Runnable listen(ShadowListener listener);

    /** The node's shadow store, {@code null} while absent. */
    ShadowStore shadowStore();

    /** The node's thing registry, {@code null} while absent. */
    ThingRegistry thingRegistry();

    /** The node's tag bus, {@code null} while absent. */
    TagBus tagBus();

    /** The node's connector registry, {@code null} while absent. */
    ConnectorRegistry connectorRegistry();

    /** The write gateway every write from the broker goes through (role, policy, audit), {@code null} while absent. */
    WriteGateway writeGateway();
}
