package org.fogwerk.camel.internal.component;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.impl.DefaultCamelContext;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.camel.internal.runtime.CamelRuntime;
import org.fogwerk.camel.standalone.StandaloneCamel;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.TestMachine;
import org.fogwerk.testing.TestUplink;

/**
 * A node for component tests: the real core (tag bus, connector and thing registries), the real
 * shadow store in a temporary folder, one machine connection {@code press01} and uplinks that
 * record what they accept; plus a plain Camel context with the {@code fogwerk:} component.
 */
public final class TestNode implements AutoCloseable {

    public final StandaloneCore core;
    public final MemoryAuditTrail audit = new MemoryAuditTrail();
    public final ShadowStoreImpl shadow;
    public final TestMachine press = new TestMachine("press01");
    final Map<String, Uplink> uplinks = new ConcurrentHashMap<>();
    public final DefaultCamelContext camel = new DefaultCamelContext();
    final WriteGateway gateway;

    public TestNode(Path dir) throws Exception {
        this(dir, 0);
    }

    /** With {@code implicitShadowBytes} as {@code implicit.shadow.bytes} (0: the default). */
    public TestNode(Path dir, int implicitShadowBytes) throws Exception {
        core = new StandaloneCore(Map.of(), implicitShadowBytes);
        shadow = ShadowStores.open(dir, 1000);
        gateway = core.gateway(shadow, audit);
        core.add(press);
        addThing("press-a", "press", Map.of("spindle.speed", "press01/speed", "temperature", "press01/temperature"));
        FogwerkServices services = StandaloneCamel.services(core, shadow, gateway, uplinks);
        camel.addComponent(FogwerkComponent.SCHEME, new FogwerkComponent(services));
        CamelRuntime.bindBeans(camel, services);
        camel.start();
    }

    /** A thing as from {@code etc/org.fogwerk.thing-<name>.cfg}; {@code mappings} is field to {@code connection/tag}. */
    public void addThing(String name, String type, Map<String, String> mappings) {
        Map<String, Object> props = new HashMap<>();
        props.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.thing-" + name + ".cfg");
        props.put("name", name);
        props.put("type", type);
        mappings.forEach((field, source) -> props.put("map." + field, source));
        core.addThing(props);
    }

    public void publish(TagValue v) {
        core.sink().publish(v);
    }

    @Override
    public void close() {
        camel.stop();
        shadow.close();
        core.close();
    }

    /** An uplink whose outbox accepts (and records) or refuses everything. */
    static final class RecordingUplink extends TestUplink {
        final boolean refuse;
        final List<TagValue> accepted = new CopyOnWriteArrayList<>();

        RecordingUplink(String name, boolean refuse) {
            super(name);
            this.refuse = refuse;
        }

        @Override
        public CompletionStage<Void> submit(List<TagValue> values) {
            if (refuse) {
                return CompletableFuture.failedFuture(new IllegalStateException("outbox full"));
            }
            accepted.addAll(values);
            return CompletableFuture.completedFuture(null);
        }
    }
}
