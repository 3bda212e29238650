package org.fogwerk.camel.internal;

import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.core.internal.BenchBus;

/**
 * A plain Camel context with the real {@code fogwerk:} component over a benchmark's tag bus and
 * one uplink, and the edge beans bound, as the node's Camel runtime sets it up. Not started.
 */
public final class BenchCamel {

    private BenchCamel() {
    }

    public static DefaultCamelContext context(BenchBus node, Uplink uplink) {
        FogwerkServices services = new FogwerkServices() {
            @Override
            public org.fogwerk.api.authority.WriteGateway gateway() {
                return null; // the benchmark's routes only read and send
            }

            @Override
            public ThingRegistry things() {
                return node.things();
            }

            @Override
            public ShadowStore shadows() {
                throw new UnsupportedOperationException("the benchmark routes use no shadow");
            }

            @Override
            public ConnectorRegistry connectors() {
                return node.connectors();
            }

            @Override
            public TagBus bus() {
                return node.bus;
            }

            @Override
            public Map<String, Uplink> uplinks() {
                return Map.of(uplink.name(), uplink);
            }

            @Override
            public Registration addTagListener(TagListener listener, Map<String, Object> properties) {
                node.addListener(listener, properties);
                return () -> node.removeListener(listener);
            }

            @Override
            public Registration addShadowListener(ShadowListener listener) {
                throw new UnsupportedOperationException("the benchmark routes use no shadow");
            }
        };
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(FogwerkComponent.SCHEME, new FogwerkComponent(services));
        EdgeSeam.beans().forEach((name, bean) -> camel.getRegistry().bind(name, bean));
        return camel;
    }
}
