package org.fogwerk.uplink.mqtt.standalone;

import java.util.Map;

import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.core.internal.ReportedStateConfig;
import org.fogwerk.core.internal.ReportedStateWriter;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.Configs;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.ShadowStores;

/**
 * The node's real core as the uplinks' tests use it: the standalone core with an audit trail in
 * memory, listeners with the queue the uplinks get, and stopping what was started with it.
 */
public final class CoreNode extends StandaloneCore {

    public final MemoryAuditTrail audit = new MemoryAuditTrail();

    /** The node's write gateway over these registries and {@code store}, with the policy of these lines. */
    public WriteGateway gateway(ShadowStore store, String... policyLines) {
        return gateway(store, audit, policyLines);
    }

    /** The same, with a thing registry of the test's own. */
    public WriteGateway gateway(ThingRegistry registry, ShadowStore store, String... policyLines) {
        return gateway(registry, store, audit, policyLines);
    }

    /** The node's command path: desired state on {@code store} becomes audited machine writes. Returns how to stop it. */
    public Runnable commandPath(ShadowStoreImpl store) {
        ShadowListener commands = commandPath(store, audit);
        return ShadowStores.listen(store, commands);
    }

    /**
     * The node's reported-state writer on this bus, with the things of {@code registry}: values
     * become reported state in {@code store}. Returns how to stop it.
     */
    public Runnable reportTo(ThingRegistry registry, ShadowStore store) {
        ReportedStateWriter writer = new ReportedStateWriter(registry, store,
                Configs.typed(ReportedStateConfig.class, Map.of()));
        listen(writer, "reported-state");
        return () -> {
            removeListener(writer);
            writer.deactivate();
        };
    }

    /** A listener with the queue of an uplink's. */
    public void listen(TagListener listener, String name) {
        addListener(listener, name, 100_000);
    }
}
