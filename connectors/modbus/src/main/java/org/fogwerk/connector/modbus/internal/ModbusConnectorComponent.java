package org.fogwerk.connector.modbus.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.support.config.ConfigurationFile;
import org.fogwerk.support.connector.NameHolder;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance per {@code etc/org.fogwerk.connector.modbus-<name>.cfg}: validates the file,
 * starts the connection without waiting for the device and registers it as a
 * {@link Connector} service with {@code fogwerk.connection} and {@code fogwerk.protocol}. The
 * service is registered here rather than by DS because the connection id comes from the file
 * name, which DS cannot put into the service properties.
 */
@Component(configurationPid = ModbusSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ModbusConfig.class, factory = true)
public final class ModbusConnectorComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnectorComponent.class);

    private final ModbusConnection connection;
    private final ModbusConnections registry;
    private final ServiceRegistration<Connector> registration;
    /** Values go onto the tag bus only while this connection holds its name. */
    private final NameHolder name;

    @Activate
    public ModbusConnectorComponent(ModbusConfig config, Map<String, Object> properties, BundleContext context,
            @Reference TagSink sink, @Reference ModbusConnections registry) {
        this.registry = registry;
        this.name = new NameHolder(context);
        this.connection = create(config, properties, name.gate(sink));
        name.watch(connection.id());
        registry.add(connection);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Connector.ID_PROPERTY, connection.id());
        props.put(Connector.PROTOCOL_PROPERTY, connection.protocol());
        Object file = properties == null ? null : properties.get(ConfigurationNames.FILE_PROPERTY);
        if (file != null) {
            props.put(ConfigurationNames.FILE_PROPERTY, file); // names the file when the name is taken twice
        }
        this.registration = context.registerService(Connector.class, connection, props);
        name.registered(registration);
        connection.start();
    }

    /** Validates the configuration and builds the connection, FAILED with the reason when it is bad. */
    public static ModbusConnection create(ModbusConfig config, Map<String, Object> properties, TagSink sink) {
        Map<String, Object> props = properties == null ? Map.of() : properties;
        String fileName = ConfigurationFile.shown(props).orElse(null);
        String name = name(config);
        String id = name != null && !name.isBlank() ? name.strip()
                : ConfigurationNames.instanceName(props).orElse("modbus");
        Optional<String> notText = ConfigurationFile.notText(props);
        if (notText.isPresent()) {
            LOG.error("Modbus connection {} FAILED: {}", id, notText.get());
            return ModbusConnection.failed(id, notText.get());
        }
        try {
            ModbusSettings settings = ModbusSettings.read(config, fileName, id);
            if (!settings.tagErrors().isEmpty()) {
                LOG.error("Modbus connection {}: {} bad tag line(s), the other {} tags work: {}", settings.id(),
                        settings.tagErrors().size(), settings.tags().size(), String.join("; ",
                                settings.tagErrors()));
            }
            return new ModbusConnection(settings, sink);
        } catch (InvalidConfigurationException e) {
            LOG.error("Modbus connection {} FAILED: {}", id, e.getMessage());
            return ModbusConnection.failed(id, e.getMessage());
        }
    }

    private static String name(ModbusConfig config) {
        try {
            return config.name();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        registry.remove(connection);
        connection.stop();
        name.close();
    }
}
