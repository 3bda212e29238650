package org.fogwerk.core.internal;

import java.util.List;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.WriteGatewayImpl;
import org.fogwerk.core.internal.authority.WritePolicy;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.fogwerk.testing.MemoryAuditTrail;

/** The node's real tag bus, connection registry and thing registry, wired as DS would, for tests. */
public final class CoreNode implements AutoCloseable {

    private final TagBusImpl bus = TagBuses.create();
    private final ConnectorRegistryImpl connectors = new ConnectorRegistryImpl(bus);
    private final ThingRegistryImpl things = new ThingRegistryImpl(connectors);
    private final CommandOrigins origins = new CommandOrigins();
    public final MemoryAuditTrail audit = new MemoryAuditTrail();

    public TagSink sink() {
        return bus;
    }

    public TagBus bus() {
        return bus;
    }

    public ConnectorRegistry connectors() {
        return connectors;
    }

    public ThingRegistry things() {
        return things;
    }

    /** The node's write gateway over these registries and {@code store}, with the policy of these lines. */
    public WriteGateway gateway(ShadowStore store, String... policyLines) {
        return gateway(things, store, policyLines);
    }

    /** The same, with a thing registry of the test's own. */
    public WriteGateway gateway(ThingRegistry registry, ShadowStore store, String... policyLines) {
        return gateway(registry, store, audit, policyLines);
    }

    /** The same, recording in {@code trail}. */
    public WriteGateway gateway(ThingRegistry registry, ShadowStore store, org.fogwerk.api.audit.AuditTrail trail,
            String... policyLines) {
        WritePolicyService policy = new WritePolicyService();
        try {
            policy.set(WritePolicy.parse(List.of(policyLines)));
        } catch (WritePolicy.PolicyException e) {
            throw new IllegalArgumentException("policy line " + e.line() + ": " + e.getMessage(), e);
        }
        return new WriteGatewayImpl(registry, connectors, store, trail, policy, origins);
    }

    /** The node's command path: desired state on {@code store} becomes audited machine writes. Returns how to stop it. */
    public Runnable commandPath(org.fogwerk.shadow.internal.ShadowStoreImpl store) {
        CommandDispatcher dispatcher = new CommandDispatcher(things, connectors, audit, origins);
        dispatcher.store = store;
        Runnable unlisten = org.fogwerk.testing.ShadowStores.listen(store, dispatcher);
        return () -> {
            unlisten.run();
            dispatcher.deactivate();
        };
    }

    /** The node's reported-state writer on this bus: values become reported state in {@code store}. Returns how to stop it. */
    public Runnable reportTo(ThingRegistry registry, ShadowStore store) {
        ReportedStateWriter writer = new ReportedStateWriter(registry, store,
                org.osgi.util.converter.Converters.standardConverter().convert(java.util.Map.of())
                        .to(ReportedStateConfig.class));
        TagBuses.attach(bus, writer, "reported-state");
        return writer::deactivate;
    }

    public void add(Connector c) {
        connectors.addConnector(c);
    }

    public void listen(TagListener listener, String name) {
        TagBuses.attach(bus, listener, name);
    }

    @Override
    public void close() {
        connectors.deactivate();
        bus.deactivate();
    }
}
