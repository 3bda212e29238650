package org.fogwerk.camel.standalone;

import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.camel.internal.component.FogwerkComponent;
import org.fogwerk.camel.internal.component.FogwerkServices;
import org.fogwerk.camel.internal.edge.EdgeBeans;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.shadow.internal.ShadowStoreImpl;

/**
 * The real {@code fogwerk:} component over a core without OSGi, and a plain Camel context with it
 * and the edge beans bound, as the node's Camel runtime sets it up; for tests and benchmarks. The
 * package is not exported.
 */
public final class StandaloneCamel {

    private StandaloneCamel() {
    }

    /**
     * What the component needs from the node, over a core without OSGi.
     *
     * @param shadows the store, or {@code null} where the routes use no shadow
     * @param gateway the write gateway, or {@code null} where the routes cannot write
     * @param uplinks the uplinks by name, as the test or benchmark changes them
     */
    public static FogwerkServices services(StandaloneCore core, ShadowStoreImpl shadows, WriteGateway gateway,
            Map<String, Uplink> uplinks) {
        return new CoreServices(core, core.things(), shadows, core.connectors(), gateway, core.bus(), uplinks);
    }

    /** The services of a core without OSGi; listeners go straight onto its bus and store. */
    private record CoreServices(StandaloneCore core, ThingRegistry things, ShadowStoreImpl shadows,
            ConnectorRegistry connectors, WriteGateway gateway, TagBus bus, Map<String, Uplink> uplinks)
            implements FogwerkServices {

        @Override
        public ShadowStoreImpl shadows() {
            if (shadows == null) {
                throw new UnsupportedOperationException("these routes use no shadow");
            }
            return shadows;
        }

        @Override
        public Registration addTagListener(TagListener listener, Map<String, Object> properties) {
            core.addListener(listener, properties);
            return () -> core.removeListener(listener);
        }

        @Override
        public Registration addShadowListener(ShadowListener listener) {
            ShadowStoreImpl store = shadows();
            store.addListener(listener);
            return () -> store.removeListener(listener);
        }
    }

    /** A context for routes that only read tags and send them to {@code uplink}; not started. */
    public static DefaultCamelContext context(StandaloneCore core, Uplink uplink) {
        FogwerkServices services = services(core, null, null, Map.of(uplink.name(), uplink));
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(FogwerkComponent.SCHEME, new FogwerkComponent(services));
        EdgeBeans.beans().forEach(camel.getRegistry()::bind);
        return camel;
    }
}
