package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
import org.fogwerk.support.log.QuietStart;
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
    private final Map<String, ConnectorState> lastLoggedState = new ConcurrentHashMap<>();
    // a connection not yet up just after it was added is starting, not failing: its DISCONNECTED is INFO
    private final Map<String, QuietStart> quietStarts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher;

    @Activate
    public ConnectorRegistryImpl(@Reference TagBus bus) {
        this.bus = bus;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fogwerk-connector-watch");
            t.setDaemon(true);
            return t;
        });
        this.watcher.scheduleWithFixedDelay(this::logStateChanges, 1, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        watcher.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(Connector connector) {
        String id = connector.id();
        Connector previous = connectors.putIfAbsent(id, connector);
        if (previous != null && previous != connector) {
            LOG.error("Two connections are named {} ({} and {}): the second is ignored; rename one of the "
                    + "configuration files", id, previous.protocol(), connector.protocol());
            return;
        }
        quietStarts.put(id, new QuietStart());
        LOG.info("Connection {} ({}) added with {} tags", id, connector.protocol(), connector.tags().size());
    }

    void removeConnector(Connector connector) {
        if (connectors.remove(connector.id(), connector)) {
            lastLoggedState.remove(connector.id());
            quietStarts.remove(connector.id());
            LOG.info("Connection {} ({}) removed", connector.id(), connector.protocol());
        }
    }

    @Override
    public List<ConnectorInfo> connectors() {
        List<ConnectorInfo> result = new ArrayList<>();
        Map<String, Counters> counters = bus.connections();
        connectors.values().forEach(c -> result.add(info(c, counters)));
        result.sort(Comparator.comparing(ConnectorInfo::id));
        return result;
    }

    @Override
    public Optional<ConnectorInfo> connector(String id) {
        Connector c = connectors.get(id);
        return c == null ? Optional.empty() : Optional.of(info(c, bus.connections()));
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

    private static Optional<TagDefinition> definition(Connector c, String tag) {
        for (TagDefinition d : c.tags()) {
            if (d.name().equals(tag)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static ConnectorInfo info(Connector c, Map<String, Counters> all) {
        Counters counters = all.get(c.id());
        ConnectorStatus status = safeStatus(c);
        return new ConnectorInfo(c.id(), c.protocol(), status, c.tags().size(),
                counters == null ? 0 : counters.in(), counters == null ? 0 : counters.dropped(),
                counters == null ? 0 : counters.perSecond());
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
