package org.fogwerk.core.internal;

import java.util.List;
import java.util.Map;

import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.WriteGatewayImpl;
import org.fogwerk.core.internal.authority.WritePolicy;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.osgi.util.converter.Converters;

/** The node's connector registry, thing registry and write gateway, wired as DS would, for the write benchmark. */
public final class BenchWrites implements AutoCloseable {

    private final TagBusImpl bus = new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
    private final ConnectorRegistryImpl connectors = new ConnectorRegistryImpl(bus);
    private final ThingRegistryImpl things = new ThingRegistryImpl(connectors);

    public org.fogwerk.api.connector.spi.TagSink sink() {
        return bus;
    }

    public void add(Connector c) {
        connectors.addConnector(c);
    }

    public ConnectorRegistry registry() {
        return connectors;
    }

    /** The gateway with the node's default policy over this registry, {@code store} and {@code audit}. */
    public WriteGateway gateway(ShadowStore store, AuditTrail audit) throws Exception {
        WritePolicyService policy = new WritePolicyService();
        policy.set(WritePolicy.parse(List.of()));
        return new WriteGatewayImpl(things, connectors, store, audit, policy, new CommandOrigins());
    }

    @Override
    public void close() {
        connectors.deactivate();
        bus.deactivate();
    }
}
