package org.fogwerk.core.standalone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.core.internal.CommandDispatcher;
import org.fogwerk.core.internal.ConnectorRegistryImpl;
import org.fogwerk.core.internal.ReportedStateConfig;
import org.fogwerk.core.internal.ReportedStateWriter;
import org.fogwerk.core.internal.TagBusConfig;
import org.fogwerk.core.internal.TagBusImpl;
import org.fogwerk.core.internal.ThingConfig;
import org.fogwerk.core.internal.ThingRegistryImpl;
import org.fogwerk.core.internal.ThingSource;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.WriteGatewayImpl;
import org.fogwerk.core.internal.authority.WritePolicy;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.osgi.util.converter.Converters;

/**
 * The node's real core wired as Declarative Services wires it, on a plain class path: tag bus,
 * connector registry and thing registry, and on request the reported-state writer, the command
 * path and the write gateway. For the tests and benchmarks of the modules that run on the core;
 * the package is not exported, so no bundle in a running node sees it. The uplinks' tests and the
 * benchmarks extend it with what they add to the core.
 */
public class StandaloneCore implements AutoCloseable {

    private final TagBusImpl bus;
    private final ConnectorRegistryImpl connectors;
    private final ThingRegistryImpl things;
    private final CommandOrigins origins = new CommandOrigins();
    /** The write policy of the gateway and of the command path: the one in force for both. */
    private final WritePolicyService policy = new WritePolicyService();
    private final List<Runnable> stops = Collections.synchronizedList(new ArrayList<>());

    /** The core with its shipped defaults. */
    public StandaloneCore() {
        this(Map.of(), 0);
    }

    /**
     * @param busConfig the tag bus's configuration ({@code listener.capacity}, ...); empty for its defaults
     * @param implicitShadowBytes the thing registry's {@code implicit.shadow.bytes}; 0 for its default
     */
    public StandaloneCore(Map<String, ?> busConfig, int implicitShadowBytes) {
        bus = new TagBusImpl(typed(busConfig, TagBusConfig.class));
        connectors = new ConnectorRegistryImpl(bus);
        things = implicitShadowBytes == 0 ? new ThingRegistryImpl(connectors)
                : new ThingRegistryImpl(connectors, "{connection}", "", implicitShadowBytes);
    }

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

    /** A connection as the connector registry sees its service come. */
    public void add(Connector connector) {
        connectors.addConnector(connector);
    }

    /** A connection as the connector registry sees its service go. */
    public void remove(Connector connector) {
        connectors.removeConnector(connector);
    }

    /** A connection as the tag bus sees its service come (its own queue and counters). */
    public void addToBus(Connector connector) {
        bus.addConnector(connector);
    }

    /** A connection as the thing registry sees its service come (its implicit thing's shadows). */
    public void addToThings(Connector connector) {
        things.addConnector(connector);
    }

    /** A configured thing, from the properties of its {@code etc/org.fogwerk.thing-<name>.cfg}. */
    public void addThing(Map<String, Object> properties) {
        things.addSource(new ThingSource(typed(properties, ThingConfig.class), properties));
    }

    /** A listener as the whiteboard registers it, with its service properties. */
    public void addListener(TagListener listener, Map<String, Object> properties) {
        bus.addListener(listener, properties);
    }

    /** A listener named {@code name} with its own queue of {@code capacity} values. */
    public void addListener(TagListener listener, String name, int capacity) {
        addListener(listener, Map.of("component.name", name, TagListener.QUEUE_CAPACITY_PROPERTY,
                String.valueOf(capacity)));
    }

    /**
     * A consumer named {@code name} that takes nothing until the returned handle is closed, so that
     * its queue (the bus's {@code listener.capacity}) overflows; for tests of what the node shows
     * about drops.
     */
    public AutoCloseable stalledListener(String name) {
        CountDownLatch release = new CountDownLatch(1);
        addListener(values -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Map.of("component.name", name));
        stops.add(release::countDown);
        return release::countDown;
    }

    public void removeListener(TagListener listener) {
        bus.removeListener(listener);
    }

    /**
     * The node's reported-state writer into {@code store}, not yet on the bus (add it as a listener
     * or give it values); stopped with the core.
     *
     * @param config its configuration ({@code report.interval}, ...); empty for its defaults
     */
    public ReportedStateWriter reportedState(ShadowStore store, Map<String, ?> config) {
        ReportedStateWriter writer = new ReportedStateWriter(things, store, typed(config, ReportedStateConfig.class));
        stops.add(() -> {
            bus.removeListener(writer);
            writer.deactivate();
        });
        return writer;
    }

    /**
     * The node's command path: desired state in {@code store} becomes machine writes, audited in
     * {@code audit}. Register it with the store as its listener; stopped with the core.
     */
    public ShadowListener commandPath(ShadowStore store, AuditTrail audit) {
        CommandDispatcher commands = new CommandDispatcher(things, connectors, audit, origins, policy);
        commands.store = store;
        stops.add(commands::deactivate);
        return commands;
    }

    /**
     * The node's write gateway over this core, {@code store} (may be {@code null} where only tags
     * are written) and {@code audit}, with the write policy of these lines (none: the default).
     */
    public WriteGateway gateway(ShadowStore store, AuditTrail audit, String... policyLines) {
        return gateway(things, store, audit, policyLines);
    }

    /** The same over a thing registry of the caller's own (a test's stand-in for the node's). */
    public WriteGateway gateway(ThingRegistry registry, ShadowStore store, AuditTrail audit, String... policyLines) {
        try {
            policy.set(WritePolicy.parse(List.of(policyLines)));
        } catch (WritePolicy.PolicyException e) {
            throw new IllegalArgumentException("policy line " + e.line() + ": " + e.getMessage(), e);
        }
        return new WriteGatewayImpl(registry, connectors, store, audit, policy, origins);
    }

    @Override
    public void close() {
        List<Runnable> last;
        synchronized (stops) {
            last = new ArrayList<>(stops);
            stops.clear();
        }
        Collections.reverse(last);
        last.forEach(Runnable::run);
        connectors.deactivate();
        bus.deactivate();
    }

    private static <T> T typed(Map<String, ?> properties, Class<T> type) {
        return Converters.standardConverter().convert(properties).to(type);
    }
}
