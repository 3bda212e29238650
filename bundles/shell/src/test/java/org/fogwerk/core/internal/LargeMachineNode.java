package org.fogwerk.core.internal;

import java.nio.file.Path;
import java.util.Map;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.LargeMachine;
import org.fogwerk.testing.ShadowStores;
import org.osgi.util.converter.Converters;

/**
 * One large machine as the implicit thing of the core's real registries, its reported state written
 * into the real shadow store (8 KiB limit); for tests of what the shell shows about things.
 */
public final class LargeMachineNode implements AutoCloseable {

    private final TagBusImpl bus = new TagBusImpl(Converters.standardConverter().convert(Map.of())
            .to(TagBusConfig.class));
    private final ConnectorRegistryImpl connectors = new ConnectorRegistryImpl(bus);
    private final ThingRegistryImpl things;
    private final ShadowStoreImpl store;
    private final ReportedStateWriter writer;

    /**
     * @param shadowBytes the implicit thing's {@code implicit.shadow.bytes}; 0 for the default
     */
    public LargeMachineNode(Path dir, LargeMachine machine, int shadowBytes) throws Exception {
        connectors.addConnector(machine);
        things = new ThingRegistryImpl(connectors, "{connection}", "",
                shadowBytes == 0 ? ImplicitShadows.DEFAULT_BUDGET : shadowBytes);
        things.addConnector(machine);
        store = ShadowStores.open(dir);
        writer = new ReportedStateWriter(things, store, Converters.standardConverter()
                .convert(Map.of("report.interval", 50)).to(ReportedStateConfig.class));
        writer.onValues(machine.initialValues());
    }

    public ThingRegistry things() {
        return things;
    }

    public TagBus bus() {
        return bus;
    }

    public ReportedState reported() {
        return writer;
    }

    @Override
    public void close() {
        writer.deactivate();
        store.close();
        connectors.deactivate();
        bus.deactivate();
    }
}
