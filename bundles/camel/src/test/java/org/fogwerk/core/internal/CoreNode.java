package org.fogwerk.core.internal;

import java.util.HashMap;
import java.util.Map;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.WriteGatewayImpl;
import org.fogwerk.core.internal.authority.WritePolicy;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.fogwerk.testing.MemoryAuditTrail;
import org.osgi.util.converter.Converters;

/**
 * The real core of a node for tests of other modules: tag bus, connector registry and thing
 * registry wired as Declarative Services would wire them (their binding methods are package-private).
 */
public final class CoreNode implements AutoCloseable {

    public final TagBusImpl bus;
    public final ConnectorRegistryImpl connectors;
    public final ThingRegistryImpl things;
    public final MemoryAuditTrail audit = new MemoryAuditTrail();
    private final CommandOrigins origins = new CommandOrigins();

    public CoreNode() {
        bus = new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
        connectors = new ConnectorRegistryImpl(bus);
        things = new ThingRegistryImpl(connectors);
    }

    public void addConnector(Connector connector) {
        connectors.addConnector(connector);
    }

    /** A thing as from {@code etc/org.fogwerk.thing-<name>.cfg}; {@code mappings} is field to {@code connection/tag}. */
    public void addThing(String name, String type, Map<String, String> mappings) {
        Map<String, Object> props = new HashMap<>();
        props.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.thing-" + name + ".cfg");
        props.put("name", name);
        props.put("type", type);
        mappings.forEach((field, source) -> props.put("map." + field, source));
        things.addSource(new ThingSource(Converters.standardConverter().convert(props).to(ThingConfig.class), props));
    }

    /** The node's command path (desired state to machine writes), to register with a shadow store. */
    public CommandDispatcher commandPath(ShadowStore store) {
        CommandDispatcher commands = new CommandDispatcher(things, connectors, audit, origins);
        commands.store = store;
        return commands;
    }

    /** The node's write gateway over this core and the store, with the policy of these lines (none: the default). */
    public WriteGateway gateway(ShadowStore store, String... policyLines) {
        WritePolicyService policy = new WritePolicyService();
        try {
            policy.set(WritePolicy.parse(java.util.List.of(policyLines)));
        } catch (WritePolicy.PolicyException e) {
            throw new IllegalArgumentException("policy line " + e.line() + ": " + e.getMessage(), e);
        }
        return new WriteGatewayImpl(things, connectors, store, audit, policy, origins);
    }

    public void addListener(TagListener listener, Map<String, Object> properties) {
        bus.addListener(listener, properties);
    }

    public void removeListener(TagListener listener) {
        bus.removeListener(listener);
    }

    @Override
    public void close() {
        connectors.deactivate();
        bus.deactivate();
    }
}
