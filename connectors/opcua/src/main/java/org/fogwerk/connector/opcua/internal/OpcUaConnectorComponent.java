package org.fogwerk.connector.opcua.internal;

import java.util.Hashtable;
import java.util.Map;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.support.connector.NameHolder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One instance per {@code etc/org.fogwerk.connector.opcua-<name>.cfg}: starts the connection
 * without waiting for the server and registers it as a {@link Connector} service with
 * {@code fogwerk.connection} and {@code fogwerk.protocol}. The service is registered here rather
 * than by DS because the connection id comes from the file name, which DS cannot put into the
 * service properties.
 */
@Component(name = OpcUaSettings.PID, configurationPid = OpcUaSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
@Designate(ocd = OpcUaConfig.class, factory = true)
public final class OpcUaConnectorComponent {

    private final OpcUaConnection connection;
    private final ServiceRegistration<?> registration;
    /** Values go onto the tag bus only while this connection holds its name. */
    private final NameHolder name;

    @Activate
    public OpcUaConnectorComponent(OpcUaConfig config, Map<String, Object> properties, BundleContext context,
            @Reference TagSink sink) {
        this.name = new NameHolder(context);
        this.connection = new OpcUaConnection(config, properties, name.gate(sink));
        name.watch(connection.id());
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Connector.ID_PROPERTY, connection.id());
        props.put(Connector.PROTOCOL_PROPERTY, connection.protocol());
        Object file = properties.get(ConfigurationNames.FILE_PROPERTY);
        if (file != null) {
            props.put(ConfigurationNames.FILE_PROPERTY, file); // names the file when the name is taken twice
        }
        this.registration = context.registerService(new String[] {Connector.class.getName(),
            OpcUaConnection.class.getName()}, connection, props);
        name.registered(registration);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
        connection.stop();
        name.close();
    }
}
