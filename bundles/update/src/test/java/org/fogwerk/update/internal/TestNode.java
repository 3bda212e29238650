package org.fogwerk.update.internal;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.StubGateway;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * A node's software updates without Karaf: the real updater and shadow store, a features service
 * that offers and installs the features a test gives it, the node's own bundles in the states a
 * test sets, and a write gateway that lets every order through and remembers who gave it.
 */
public final class TestNode implements AutoCloseable {

    public static final String NODE = "hall3";
    public static final Caller MQTT = Caller.of(Source.AWS_LOCAL, "uplink local, clientToken t1");

    private final ShadowStoreImpl store;
    private final MemoryAuditTrail audit = new MemoryAuditTrail();
    private final Gateway gateway;
    /** Offered versions: feature, version, the locations of its own bundles. */
    private final Map<String, Map<String, List<String>>> offered = new ConcurrentHashMap<>();
    /** Installed version of each feature. */
    private final Map<String, String> installed = new ConcurrentHashMap<>();
    /** What Karaf was asked to do: "install f v", "uninstall f v". */
    private final List<String> deployments = Collections.synchronizedList(new ArrayList<>());
    /** Installed features that came as part of another one, not on their own. */
    private final Set<String> parts = ConcurrentHashMap.newKeySet();
    /** Runs before Karaf installs anything: a gate holds the install there. */
    private volatile Runnable beforeInstall = () -> { };
    /** Runs once Karaf installed a version (feature, version): a test starts or stops connections there. */
    private volatile BiConsumer<String, String> afterInstall = (feature, version) -> { };
    /** The ids of the connections that run, as the connector registry lists them. */
    private final Set<String> connections = ConcurrentHashMap.newKeySet();
    /** The state of each of the node's own bundles, by symbolic name. */
    private final Map<String, Integer> bundles = new ConcurrentHashMap<>();
    private final NodeUpdater updater;

    /**
     * A node whose updater has not found its shadow store and gateway yet; health time limit 1 s.
     *
     * @param healthPoll    how often the node looks at its health
     * @param reportSeconds how often it reports anyway
     */
    public TestNode(Path dir, Duration healthPoll, int reportSeconds) throws IOException {
        store = ShadowStores.open(dir);
        gateway = new Gateway();
        BundleContext context = context();
        updater = new NodeUpdater(context, new FeatureInstaller(features(), context, ""), new HealthCheck(null), audit,
                NODE, Duration.ofSeconds(1), Duration.ZERO, reportSeconds, healthPoll);
        updater.connectors = fake(ConnectorRegistry.class, (method, args) -> switch (method) {
            case "connectors" -> connections.stream().sorted()
                    .map(id -> new ConnectorInfo(id, "modbus", null, 0, 0, 0, 0)).toList();
            default -> throw new UnsupportedOperationException(method);
        });
    }

    /** The shadow store and the gateway come up, as the updater's references bind at the node's start. */
    public TestNode start() {
        store.addListener(updater);
        updater.bindStore(store);
        updater.bindGateway(gateway);
        return this;
    }

    public NodeUpdater updater() {
        return updater;
    }

    /** Offers a version whose own bundles are at these locations (none: it is healthy at once). */
    public TestNode offer(String feature, String version, String... bundleLocations) {
        offered.computeIfAbsent(feature, f -> new ConcurrentHashMap<>()).put(version, List.of(bundleLocations));
        return this;
    }

    /** Offers the version and has it installed, as at the node's start. */
    public TestNode install(String feature, String version) {
        offer(feature, version);
        installed.put(feature, version);
        return this;
    }

    /** Has the version installed as part of another feature, as the aggregate {@code fogwerk} brings its members. */
    public TestNode installPart(String feature, String version) {
        parts.add(feature);
        return install(feature, version);
    }

    /** Adds an uplink in this state, or sets the state of the one of that name. */
    public void uplink(String name, UplinkState state) {
        updater.uplinks.removeIf(u -> u.name().equals(name));
        UplinkStatus status = new UplinkStatus(state, "", Instant.EPOCH, 0, Duration.ZERO, 0, 0, 0, 0, 0, 0);
        updater.uplinks.add(fake(Uplink.class, (method, args) -> switch (method) {
            case "name" -> name;
            case "status" -> status;
            default -> throw new UnsupportedOperationException(method);
        }));
    }

    /** Starts ({@code true}) or stops a connection. */
    public void connection(String id, boolean running) {
        if (running) {
            connections.add(id);
        } else {
            connections.remove(id);
        }
    }

    /** Has this run after each install Karaf made, with the feature and version. */
    public void afterInstall(BiConsumer<String, String> action) {
        afterInstall = action;
    }

    /** Has every install wait at the gate first. */
    public void holdInstalls(Runnable gate) {
        beforeInstall = gate;
    }

    /** The installed version, {@code null} when none is. */
    public String installed(String feature) {
        return installed.get(feature);
    }

    /** What Karaf was asked to install or uninstall, in order. */
    public List<String> deployments() {
        synchronized (deployments) {
            return List.copyOf(deployments);
        }
    }

    /** Sets the state of one of the node's own bundles ({@link Bundle#ACTIVE}, ...). */
    public void bundle(String symbolicName, int state) {
        bundles.put(symbolicName, state);
    }

    /** The node's shadow, {@code null} while it has none. */
    public ShadowDocument shadow() throws ShadowException {
        return store.shadows(NODE).contains("fogwerk-node") ? store.get(NODE, "fogwerk-node") : null;
    }

    /** A field of the node's reported state, by dotted path; {@code null} when it is not there. */
    public Object reported(String path) throws ShadowException {
        ShadowDocument doc = shadow();
        Object node = doc == null ? null : doc.reported();
        for (String key : path.split("\\.")) {
            node = node instanceof Map<?, ?> m ? m.get(key) : null;
        }
        return node;
    }

    /** Writes desired state of the node's shadow as the caller, through the gateway. */
    public void desire(Caller by, String feature, String version) throws ShadowException {
        Map<String, Object> features = new HashMap<>();
        features.put(feature, version);
        gateway.updateShadow(by, NODE, "fogwerk-node", ShadowUpdate.desired(Map.of("features", features)));
    }

    /** How many times the node wrote its reported state. */
    public int reports() {
        return gateway.reports.get();
    }

    /** The refusals the gateway was told of: "kind thing/target code reason". */
    public List<String> refusals() {
        synchronized (gateway.refusals) {
            return List.copyOf(gateway.refusals);
        }
    }

    /** The software update steps in the audit trail: "source identity target value outcome detail". */
    public List<String> updateSteps() {
        return audit.events().stream().filter(e -> AuditEvent.KIND_UPDATE.equals(e.kind()))
                .map(e -> String.join(" ", e.source(), e.identity(), e.target(), e.value(), e.outcome(), e.detail()))
                .toList();
    }

    @Override
    public void close() {
        updater.deactivate();
        store.close();
    }

    // ---- fakes --------------------------------------------------------------------------------------

    /** Lets every request through to the store and remembers who set each desired feature. */
    private final class Gateway extends StubGateway {
        final Map<String, Caller> origins = new ConcurrentHashMap<>();
        final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger reports = new AtomicInteger();

        @Override
        public ShadowDocument updateShadow(Caller caller, String thing, String shadow, ShadowUpdate update)
                throws ShadowException {
            if (update.desired() != null && update.desired().get("features") instanceof Map<?, ?> f) {
                f.keySet().forEach(k -> origins.put(thing + "/" + shadow + "/features." + k, caller));
            }
            ShadowDocument doc = store.update(thing, shadow, update);
            if (update.reported() != null) {
                reports.incrementAndGet();
            }
            return doc;
        }

        @Override
        public Caller orderedBy(String thing, String shadow, String field) {
            return origins.getOrDefault(thing + "/" + shadow + "/" + field, Caller.of(Source.NODE, "desired state"));
        }

        @Override
        public void refused(Caller caller, String kind, String thing, String target, int code, String reason) {
            refusals.add(kind + " " + thing + "/" + target + " " + code + " " + reason);
        }

        @Override
        public boolean owns(String thing) {
            return NODE.equals(thing);
        }

    }

    /** Karaf's features service over {@link #offered} and {@link #installed}. */
    private FeaturesService features() {
        return fake(FeaturesService.class, (method, args) -> {
            switch (method) {
                case "listInstalledFeatures":
                    return installed.entrySet().stream().map(e -> feature(e.getKey(), e.getValue()))
                            .toArray(Feature[]::new);
                case "getFeature":
                    return args.length == 2 && offered.getOrDefault((String) args[0], Map.of()).containsKey(args[1])
                            ? feature((String) args[0], (String) args[1]) : null;
                case "installFeature":
                    beforeInstall.run();
                    deployments.add("install " + args[0] + " " + args[1]);
                    installed.put((String) args[0], (String) args[1]);
                    afterInstall.accept((String) args[0], (String) args[1]);
                    return null;
                case "uninstallFeature":
                    deployments.add("uninstall " + args[0] + " " + args[1]);
                    installed.remove((String) args[0]);
                    return null;
                case "isRequired":
                    return !parts.contains(((Feature) args[0]).getName());
                default:
                    throw new UnsupportedOperationException(method);
            }
        });
    }

    private Feature feature(String name, String version) {
        List<String> locations = offered.getOrDefault(name, Map.of()).getOrDefault(version, List.of());
        return fake(Feature.class, (method, args) -> switch (method) {
            case "getName" -> name;
            case "getVersion" -> version;
            case "getBundles" -> locations.stream().map(TestNode::bundleInfo).toList();
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static BundleInfo bundleInfo(String location) {
        return fake(BundleInfo.class, (method, args) -> switch (method) {
            case "getLocation" -> location;
            case "isDependency" -> false;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    /** The node's framework: its own bundles in {@link #bundles}, all at 0.1.0. */
    private BundleContext context() {
        Bundle self = bundle("org.fogwerk.update");
        bundles.put("org.fogwerk.update", Bundle.ACTIVE);
        return fake(BundleContext.class, (method, args) -> switch (method) {
            case "getProperty" -> null;
            case "getBundle" -> self;
            case "getBundles" -> bundles.keySet().stream().sorted().map(TestNode.this::bundle).toArray(Bundle[]::new);
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private Bundle bundle(String symbolicName) {
        return fake(Bundle.class, (method, args) -> switch (method) {
            case "getSymbolicName" -> symbolicName;
            case "getVersion" -> Version.parseVersion("0.1.0");
            case "getState" -> bundles.getOrDefault(symbolicName, Bundle.INSTALLED);
            case "getHeaders" -> new Hashtable<String, String>();
            default -> throw new UnsupportedOperationException(method);
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(TestNode.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> answer.apply(method.getName(), args == null ? new Object[0] : args);
                });
    }
}
