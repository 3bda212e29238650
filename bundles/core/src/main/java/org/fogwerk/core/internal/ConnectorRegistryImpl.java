package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.log.QuietStart;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every connector service, logs each change of its state once, and is the single door
 * for reads, writes, browsing and method calls. Writes are checked against the tag definition here, so no
 * connector can forget it.
 */
@Component(service = ConnectorRegistry.class, immediate = true)
public final class ConnectorRegistryImpl implements ConnectorRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistryImpl.class);

    private final TagBus bus;
    private final Map<String, Connector> connectors = new ConcurrentHashMap<>();
    /** Connections whose name another file already uses, by name, in the order they came. */
    private final Map<String, List<Duplicate>> duplicates = new ConcurrentHashMap<>();
    private final Map<Connector, String> files = new ConcurrentHashMap<>();
    private final Map<String, ConnectorState> lastLoggedState = new ConcurrentHashMap<>();
    private final ConnectionLossMarker lossMarker;
    // a connection not yet up just after it was added is starting, not failing: its DISCONNECTED is INFO
    private final Map<String, QuietStart> quietStarts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher;

    /** A connection refused for its name, listed as FAILED so that the user sees it. */
    private record Duplicate(Connector connector, String file) {
    }

    /** For tests and benchmarks: the bus is also the sink. */
    public ConnectorRegistryImpl(TagBusImpl bus) {
        this(bus, bus);
    }

    @Activate
    public ConnectorRegistryImpl(@Reference TagBus bus, @Reference TagSink sink) {
        this.bus = bus;
        this.lossMarker = new ConnectionLossMarker(bus, sink);
        this.watcher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-connector-watch"));
        this.watcher.scheduleWithFixedDelay(this::logStateChanges, 1, 1, TimeUnit.SECONDS);
    }

    /** Whether the whole node is stopping, rather than one connection going away. */
    private static boolean frameworkStopping() {
        Bundle own = FrameworkUtil.getBundle(ConnectorRegistryImpl.class);
        BundleContext context = own == null ? null : own.getBundleContext();
        if (context == null) {
            return own != null; // this bundle itself is stopping
        }
        Bundle system = context.getBundle(0);
        return system != null && system.getState() == Bundle.STOPPING;
    }

    @Deactivate
    public void deactivate() {
        watcher.shutdownNow();
    }

    /** For tests: a connection without a configuration file. */
    public void addConnector(Connector connector) {
        addConnector(connector, Map.of());
    }

    /**
     * The first connection with a name keeps it; a later one with the same name is refused and
     * listed as FAILED, and takes the name over only when the first goes away. (A bind method of
     * its own name: DS would pick a one-argument overload and pass no service properties.)
     */
    @Reference(name = "connector", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeConnector")
    synchronized void bindConnector(Connector connector, Map<String, Object> properties) {
        addConnector(connector, properties);
    }

    synchronized void addConnector(Connector connector, Map<String, Object> properties) {
        String id = connector.id();
        String file = fileOf(properties);
        files.put(connector, file);
        Connector previous = connectors.putIfAbsent(id, connector);
        if (previous != null && previous != connector) {
            duplicates.computeIfAbsent(id, k -> new ArrayList<>()).add(new Duplicate(connector, file));
            LOG.error("Connection {} ({}, file {}) is refused: {} ({}, file {}) already has that name; rename one of "
                    + "the configuration files", id, connector.protocol(), file, id, previous.protocol(),
                    files.getOrDefault(previous, "unknown"));
            return;
        }
        quietStarts.put(id, new QuietStart());
        LOG.info("Connection {} ({}) added with {} tags", id, connector.protocol(), connector.tags().size());
    }

    public synchronized void removeConnector(Connector connector) {
        String id = connector.id();
        files.remove(connector);
        tagIndexes.remove(connector);
        List<Duplicate> waiting = duplicates.get(id);
        if (waiting != null && waiting.removeIf(d -> d.connector() == connector)) {
            LOG.info("Connection {} ({}) with a duplicate name removed; {} keeps the name", id,
                    connector.protocol(), id);
        } else if (connectors.remove(id, connector)) {
            lastLoggedState.remove(id);
            quietStarts.remove(id);
            LOG.info("Connection {} ({}) removed", id, connector.protocol());
            if (frameworkStopping()) {
                lossMarker.forget(id); // the node stops: the values stay what they were when it read them
            } else {
                lossMarker.removed(id);
            }
            if (waiting != null && !waiting.isEmpty()) {
                Duplicate next = waiting.remove(0);
                connectors.put(id, next.connector());
                LOG.info("Connection {} ({}, file {}) now has the name {}", id, next.connector().protocol(),
                        next.file(), id);
            }
        }
        if (waiting != null && waiting.isEmpty()) {
            duplicates.remove(id, waiting);
        }
    }

    /** The configuration file's name, as {@code etc/<name>}: the folder is always the node's etc. */
    private static String fileOf(Map<String, Object> properties) {
        Object file = properties == null ? null : properties.get(ConfigurationNames.FILE_PROPERTY);
        if (file == null) {
            return "unknown";
        }
        String f = file.toString();
        return "etc/" + f.substring(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
    }

    @Override
    public synchronized List<ConnectorInfo> connectors() {
        List<ConnectorInfo> result = new ArrayList<>();
        Map<String, Counters> counters = bus.connections();
        Map<String, Map<String, Long>> consumerDrops = consumerDrops();
        connectors.values().forEach(c -> result.add(info(c, counters, consumerDrops)));
        duplicates.forEach((id, waiting) -> {
            Connector owner = connectors.get(id);
            String ownerFile = owner == null ? "unknown" : files.getOrDefault(owner, "unknown");
            for (Duplicate d : waiting) {
                result.add(new ConnectorInfo(id, d.connector().protocol(), ConnectorStatus.of(ConnectorState.FAILED,
                        "duplicate name, file " + d.file() + ": " + id + " is already the connection of "
                                + ownerFile), d.connector().tags().size(), 0, 0, 0));
            }
        });
        result.sort(Comparator.comparing(ConnectorInfo::id));
        return result;
    }

    @Override
    public Optional<ConnectorInfo> connector(String id) {
        Connector c = connectors.get(id);
        return c == null ? Optional.empty() : Optional.of(info(c, bus.connections(), consumerDrops()));
    }

    @Override
    public List<TagDefinition> tags(String id) {
        Connector c = connectors.get(id);
        return c == null ? List.of() : c.tags();
    }

    @Override
    public CompletionStage<TagValue> read(String id, String tag) {
        Connector c = connectors.get(id);
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no connection named " + id));
        }
        if (definition(c, tag).isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("connection " + id + " has no tag named " + tag));
        }
        return c.read(tag);
    }

    @Override
    public CompletionStage<WriteResult> write(String id, String tag, Object value) {
        Connector c = connectors.get(id);
        if (c == null) {
            return CompletableFuture.completedFuture(WriteResult.refused(id, tag, "no connection named " + id));
        }
        Optional<TagDefinition> definition = definition(c, tag);
        if (definition.isEmpty()) {
            return CompletableFuture.completedFuture(
                    WriteResult.refused(id, tag, "connection " + id + " has no tag named " + tag));
        }
        Object checked;
        try {
            checked = definition.get().checkWrite(value);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(WriteResult.refused(id, tag, e.getMessage()));
        }
        try {
            return c.write(tag, checked).exceptionally(e -> WriteResult.failed(id, tag, String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(WriteResult.failed(id, tag, String.valueOf(e.getMessage())));
        }
    }

    @Override
    public CompletionStage<List<BrowseNode>> browse(String id, String nodeId) {
        Connector c = connectors.get(id);
        if (c == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no connection named " + id));
        }
        return c.browse(nodeId);
    }

    @Override
    public CompletionStage<CallResult> call(String id, String objectId, String methodId, List<Object> arguments) {
        Connector c = connectors.get(id);
        if (c == null) {
            return CompletableFuture.completedFuture(CallResult.refused(id, methodId, "no connection named " + id));
        }
        List<Object> args = arguments == null ? List.of() : arguments;
        try {
            CompletionStage<CallResult> result = c.call(objectId, methodId, args);
            if (result == null) {
                return CompletableFuture.completedFuture(
                        CallResult.failed(id, methodId, "connection " + id + " returned no result"));
            }
            return result.exceptionally(e -> CallResult.failed(id, methodId, message(e)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(CallResult.failed(id, methodId, message(e)));
        }
    }

    private static String message(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null
                ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    @Override
    public Optional<TagDefinition> tag(String id, String name) {
        Connector c = connectors.get(id);
        return c == null ? Optional.empty() : definition(c, name);
    }

    /** A connection's tags by name, built again when the connection hands out a new list. */
    private record TagIndex(List<TagDefinition> list, Map<String, TagDefinition> byName) {
    }

    private final Map<Connector, TagIndex> tagIndexes = new ConcurrentHashMap<>();

    private Optional<TagDefinition> definition(Connector c, String tag) {
        List<TagDefinition> tags = c.tags();
        TagIndex index = tagIndexes.get(c);
        if (index == null || index.list() != tags) {
            Map<String, TagDefinition> byName = new HashMap<>(tags.size() * 2);
            for (TagDefinition d : tags) {
                byName.putIfAbsent(d.name(), d);
            }
            index = new TagIndex(tags, byName);
            tagIndexes.put(c, index);
        }
        return Optional.ofNullable(tag == null ? null : index.byName().get(tag));
    }

    /** The bus's listener drops turned around: connection -> consumer -> count. */
    private Map<String, Map<String, Long>> consumerDrops() {
        Map<String, Map<String, Long>> byConnection = new HashMap<>();
        bus.listenerDrops().forEach((listener, drops) -> drops.forEach((connection, n) -> byConnection
                .computeIfAbsent(connection, k -> new TreeMap<>()).put(listener, n)));
        return byConnection;
    }

    private static ConnectorInfo info(Connector c, Map<String, Counters> all, Map<String, Map<String, Long>> drops) {
        Counters counters = all.get(c.id());
        ConnectorStatus status = safeStatus(c);
        return new ConnectorInfo(c.id(), c.protocol(), status, c.tags().size(),
                counters == null ? 0 : counters.in(), counters == null ? 0 : counters.dropped(),
                counters == null ? 0 : counters.perSecond(), drops.getOrDefault(c.id(), Map.of()));
    }

    private static ConnectorStatus safeStatus(Connector c) {
        try {
            return c.status();
        } catch (RuntimeException e) {
            return ConnectorStatus.of(ConnectorState.FAILED, "status unavailable: " + e.getMessage());
        }
    }

    private void logStateChanges() {
        connectors.values().forEach(c -> {
            ConnectorStatus s = safeStatus(c);
            lossMarker.observe(c, s, () -> safeStatus(c));
            ConnectorState before = lastLoggedState.put(c.id(), s.state());
            if (before != s.state()) {
                QuietStart start = quietStarts.computeIfAbsent(c.id(), k -> new QuietStart());
                if (s.state() == ConnectorState.CONNECTED || s.state() == ConnectorState.DEGRADED) {
                    start.connected();
                }
                if (s.state() == ConnectorState.CONNECTED || s.state() == ConnectorState.CONNECTING
                        || (s.state() == ConnectorState.DISCONNECTED && start.quiet())) {
                    LOG.info("Connection {} is {}{}", c.id(), s.state(), s.reason().isEmpty() ? "" : ": " + s.reason());
                } else {
                    LOG.warn("Connection {} is {}{}", c.id(), s.state(), s.reason().isEmpty() ? "" : ": " + s.reason());
                }
            }
        });
    }
}
