package org.fogwerk.camel.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.impl.DefaultCamelContext;
import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.core.internal.CoreNode;
import org.fogwerk.shadow.internal.ShadowStoreFixture;

/**
 * A node for component tests: the real core (tag bus, connector and thing registries), the real
 * shadow store in a temporary folder, one machine connection {@code press01} and uplinks that
 * record what they accept; plus a plain Camel context with the {@code fogwerk:} component.
 */
final class TestNode implements FogwerkServices, AutoCloseable {

    final CoreNode core = new CoreNode();
    final ShadowStoreFixture shadow;
    final Machine press = new Machine("press01");
    final Map<String, Uplink> uplinks = new ConcurrentHashMap<>();
    final DefaultCamelContext camel = new DefaultCamelContext();
    final WriteGateway gateway;

    TestNode(Path dir) throws Exception {
        shadow = new ShadowStoreFixture(dir);
        gateway = core.gateway(shadow.store);
        core.addConnector(press);
        core.addThing("press-a", "press", Map.of("spindle.speed", "press01/speed", "temperature", "press01/temperature"));
        camel.addComponent(FogwerkComponent.SCHEME, new FogwerkComponent(this));
        FogwerkComponent.bindBeans(camel, this);
        camel.start();
    }

    void publish(TagValue v) {
        core.bus.publish(v);
    }

    @Override
    public void close() {
        camel.stop();
        shadow.close();
        core.close();
    }

    @Override
    public ThingRegistry things() {
        return core.things;
    }

    @Override
    public ShadowStore shadows() {
        return shadow.store;
    }

    @Override
    public ConnectorRegistry connectors() {
        return core.connectors;
    }

    @Override
    public WriteGateway gateway() {
        return gateway;
    }

    @Override
    public TagBus bus() {
        return core.bus;
    }

    @Override
    public Map<String, Uplink> uplinks() {
        return uplinks;
    }

    @Override
    public Registration addTagListener(TagListener listener, Map<String, Object> properties) {
        core.addListener(listener, properties);
        return () -> core.removeListener(listener);
    }

    @Override
    public Registration addShadowListener(ShadowListener listener) {
        shadow.addListener(listener);
        return () -> shadow.removeListener(listener);
    }

    /** A machine with a writable speed (0..3000) and a read-only temperature; records writes. */
    static final class Machine implements Connector {
        final String id;
        final List<Object> written = new CopyOnWriteArrayList<>();
        /** When set, the machine fails every write with this reason. */
        volatile String failWith;

        Machine(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String protocol() {
            return "test";
        }

        @Override
        public ConnectorStatus status() {
            return ConnectorStatus.of(ConnectorState.CONNECTED, "");
        }

        @Override
        public List<TagDefinition> tags() {
            return List.of(new TagDefinition("speed", "40001", DataType.INT16, Access.READ_WRITE, "rpm", "", 0.0,
                    3000.0, Map.of()), TagDefinition.readOnly("temperature", "30001", DataType.FLOAT));
        }

        @Override
        public CompletionStage<TagValue> read(String tag) {
            return CompletableFuture.completedFuture(TagValue.good(id, tag, 1L));
        }

        @Override
        public CompletionStage<WriteResult> write(String tag, Object value) {
            String failure = failWith;
            if (failure != null) {
                return CompletableFuture.completedFuture(WriteResult.failed(id, tag, failure));
            }
            written.add(value);
            return CompletableFuture.completedFuture(WriteResult.done(id, tag));
        }
    }

    /** An uplink whose outbox accepts (and records) or refuses everything. */
    static final class RecordingUplink implements Uplink {
        final String name;
        final boolean refuse;
        final List<TagValue> accepted = new CopyOnWriteArrayList<>();

        RecordingUplink(String name, boolean refuse) {
            this.name = name;
            this.refuse = refuse;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public UplinkStatus status() {
            throw new UnsupportedOperationException("not needed by the component");
        }

        @Override
        public CompletionStage<Void> submit(List<TagValue> values) {
            if (refuse) {
                return CompletableFuture.failedFuture(new IllegalStateException("outbox full"));
            }
            accepted.addAll(values);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> flush() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
