package org.fogwerk.core.internal;

import java.util.Map;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.WriteGatewayImpl;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.osgi.util.converter.Converters;

/** The node's real tag bus and connector registry, wired as DS would, for tests of this module. */
public final class CoreFixture implements AutoCloseable {

    private final TagBusImpl bus;
    private final ConnectorRegistryImpl registry;

    public CoreFixture() {
        bus = new TagBusImpl(Converters.standardConverter().convert(Map.of()).to(TagBusConfig.class));
        registry = new ConnectorRegistryImpl(bus);
    }

    public TagSink sink() {
        return bus;
    }

    public TagBus bus() {
        return bus;
    }

    public ConnectorRegistry registry() {
        return registry;
    }

    /**
     * The node's write gateway over this registry with the default policy and an audit trail in
     * memory; no shadow store (the commands of this module write tags, not shadows).
     */
    public WriteGateway gateway() {
        return new WriteGatewayImpl(new ThingRegistryImpl(registry), registry, null, new MemoryAuditTrail(),
                new WritePolicyService(), new CommandOrigins());
    }

    public void add(Connector c) {
        registry.addConnector(c);
    }

    @Override
    public void close() {
        registry.deactivate();
        bus.deactivate();
    }
}
