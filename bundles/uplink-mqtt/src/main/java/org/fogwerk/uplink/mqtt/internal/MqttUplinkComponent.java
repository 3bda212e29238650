package org.fogwerk.uplink.mqtt.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.support.config.ConfigurationFile;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT uplink per {@code etc/org.fogwerk.uplink.mqtt-<name>.cfg}. Registers the uplink as
 * {@link Uplink} (property {@value Uplink#NAME_PROPERTY}) and, when its configuration works, as a
 * tag bus {@link TagListener}.
 */
@Component(configurationPid = MqttUplinkComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = MqttUplinkConfig.class, factory = true)
public final class MqttUplinkComponent {

    static final String PID = "org.fogwerk.uplink.mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplinkComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ShadowStore shadowStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ThingRegistry thingRegistry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TagBus tagBus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConnectorRegistry connectorRegistry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile WriteGateway writeGateway;

    private final MqttUplink uplink;
    private final ServiceRegistration<?> registration;

    @Activate
    public MqttUplinkComponent(BundleContext context, MqttUplinkConfig config, Map<String, Object> properties) {
        String fileName = ConfigurationFile.of(properties).map(Path::toString)
                .orElse(PID + " (" + properties.get("service.pid") + ")");
        String name = name(config, properties);
        MqttUplink running = null;
        String failure = null;
        try {
            Optional<String> notText = ConfigurationFile.notText(properties);
            if (notText.isPresent()) {
                throw new RefusedFile(notText.get());
            }
            UplinkSettings settings = UplinkSettings.of(config, name, defaultNode(context));
            Path outbox = outboxDir(context, name);
            Profile profile = Profiles.create(new ProfileContext(settings, config, context,
                    outbox.getParent().resolveSibling("profile").resolve(name), () -> shadowStore, () -> thingRegistry,
                    () -> tagBus, () -> connectorRegistry, () -> writeGateway, this::thingOf));
            try {
                running = new MqttUplink(settings, outbox, () -> writeGateway, this::thingOf, profile);
            } catch (Exception e) {
                profile.close();
                throw e;
            }
        } catch (RefusedFile e) {
            failure = e.getMessage();
        } catch (ConfigException e) {
            failure = fileName + ": " + e.getMessage();
        } catch (Exception e) {
            failure = fileName + ": cannot open the outbox: " + e;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Uplink.NAME_PROPERTY, name);
        props.put("fogwerk.protocol", "mqtt");
        props.put("fogwerk.profile", config.profile().trim());
        this.uplink = running;
        if (running != null) {
            props.putAll(listenerProperties(name));
            registration = context.registerService(new String[] {Uplink.class.getName(), TagListener.class.getName()},
                    running, props);
        } else {
            LOG.error("MQTT uplink {} FAILED: {}", name, failure);
            registration = context.registerService(Uplink.class, new FailedUplink(name, failure), props);
        }
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        if (uplink != null) {
            uplink.close();
        }
    }

    private String thingOf(String connectionId, String tag) {
        ThingRegistry registry = thingRegistry;
        if (registry != null) {
            List<ThingRegistry.Target> targets = registry.targets(connectionId, tag);
            if (!targets.isEmpty()) {
                return targets.get(0).thing();
            }
        }
        return connectionId;
    }

    /** A file refused as a whole; its message names the file already. */
    private static final class RefusedFile extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedFile(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * How an uplink listens on the tag bus: a queue of 10,000 values, to which the bus adds room for
     * the initial value of every tag, so the burst of a node coming up is taken whole.
     */
    static Map<String, Object> listenerProperties(String uplink) {
        return Map.of(TagListener.QUEUE_CAPACITY_PROPERTY, 10_000, "component.name", listenerName(uplink));
    }

    /** The name an uplink has as a listener of the tag bus, under which the bus counts its values. */
    public static String listenerName(String uplink) {
        return "uplink-" + uplink;
    }

    static String name(MqttUplinkConfig config, Map<String, Object> properties) {
        if (!config.name().trim().isEmpty()) {
            return config.name().trim();
        }
        return ConfigurationNames.instanceName(properties).orElse("default");
    }

    static String defaultNode(BundleContext context) {
        return NodeIdentity.of(context == null ? null : context::getProperty);
    }

    static Path outboxDir(BundleContext context, String name) {
        String data = context == null ? null : context.getProperty("karaf.data");
        if (data == null || data.isBlank()) {
            data = System.getProperty("karaf.data");
        }
        return Path.of(data == null || data.isBlank() ? "data" : data, "fogwerk", "outbox", name);
    }
}
