package org.fogwerk.camel.internal.runtime;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.core.osgi.OsgiDefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.alarm.AlarmEvent;
import org.fogwerk.api.alarm.AlarmLog;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.camel.internal.component.FogwerkComponent;
import org.fogwerk.camel.internal.component.FogwerkServices;
import org.fogwerk.camel.internal.edge.AlarmJournal;
import org.fogwerk.camel.internal.edge.EdgeBeans;
import org.fogwerk.camel.internal.mes.ProductionSummary;
import org.fogwerk.camel.internal.mes.WorkOrders;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Camel context ({@code fogwerk}): an {@link OsgiDefaultCamelContext} with the
 * {@code fogwerk:} component, registered as a {@link CamelContext} service so Camel's
 * {@code camel:*} commands see it. Routes come from the route folder, from {@link RoutesBuilder}
 * services (Java route bundles in {@code deploy/}), and use {@link DataSource} services by their
 * {@code dataSourceName}.
 */
// every other key of etc/org.fogwerk.camel.cfg is a property placeholder for the routes
@Component(service = {RouteCatalog.class, org.fogwerk.api.routes.RouteCatalog.class, AlarmLog.class}, immediate = true,
        configurationPid = "org.fogwerk.camel",
        property = ConfigurationNames.OPEN_KEYS_PROPERTY + "=*")
@Designate(ocd = CamelRuntimeConfig.class)
public final class CamelRuntime implements FogwerkServices, RouteCatalog, org.fogwerk.api.routes.RouteCatalog,
        AlarmLog {

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntime.class);
    static final String CONTEXT_NAME = "fogwerk";

    private final BundleContext bundleContext;
    private final ThingRegistry things;
    private final ShadowStore shadows;
    private final ConnectorRegistry connectors;
    private final TagBus bus;
    // dynamic: the gateway needs the audit trail, and routes that only read keep running without both
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile WriteGateway gateway;
    private final Map<String, Uplink> uplinks = new ConcurrentHashMap<>();
    private final Map<RoutesBuilder, BundleRoutes> builders = new ConcurrentHashMap<>();
    private final Map<String, DataSource> pendingDataSources = new ConcurrentHashMap<>();
    private final Map<String, NodeDataSource> boundDataSources = new ConcurrentHashMap<>();
    /*
     * Kept while the bundle runs, across restarts of the context (a change of
     * etc/org.fogwerk.camel.cfg): route counters never go down, and alarm events keep their
     * sequence, which event stream clients reconnect with.
     */
    private static final RouteStats STATS = new RouteStats();
    private static final AlarmJournal ALARMS = new AlarmJournal();
    private final CamelContext context;
    private final RouteFiles routeFiles;
    private final ScheduledExecutorService scanner;
    private final ServiceRegistration<CamelContext> contextRegistration;

    /** Routes a bundle's builder added, and the error when it could not add them. */
    private static final class BundleRoutes {
        final String origin;
        volatile List<String> routeIds = List.of();
        volatile String error = "";

        BundleRoutes(String origin) {
            this.origin = origin;
        }
    }

    @Activate
    public CamelRuntime(BundleContext bundleContext, CamelRuntimeConfig config, Map<String, Object> properties,
            @Reference ThingRegistry things, @Reference ShadowStore shadows, @Reference ConnectorRegistry connectors,
            @Reference TagBus bus) throws Exception {
        config = LenientConfig.of(CamelRuntimeConfig.class, config, "etc/org.fogwerk.camel.cfg");
        this.bundleContext = bundleContext;
        this.things = things;
        this.shadows = shadows;
        this.connectors = connectors;
        this.bus = bus;
        long started = System.nanoTime();
        OsgiDefaultCamelContext ctx = new OsgiDefaultCamelContext(bundleContext);
        ctx.setName(CONTEXT_NAME);
        ctx.getPropertiesComponent().setInitialProperties(placeholders(properties));
        ctx.addComponent(FogwerkComponent.SCHEME, new FogwerkComponent(this, ALARMS));
        prepare(ctx, STATS);
        ctx.getShutdownStrategy().setTimeout(config.shutdown_timeout_s());
        bindBeans(ctx, this);
        // OsgiDefaultCamelContext drops routes added before start: start first, add routes after.
        ctx.start();
        this.context = ctx;
        pendingDataSources.forEach(this::bindDataSource);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("camel.context.name", CONTEXT_NAME);
        props.put("camel.context.symbolicname", bundleContext.getBundle().getSymbolicName());
        props.put("camel.context.version", bundleContext.getBundle().getVersion().toString());
        this.contextRegistration = bundleContext.registerService(CamelContext.class, ctx, props);
        String dir = config.routes_dir().isBlank()
                ? Paths.get(Optional.ofNullable(bundleContext.getProperty("karaf.etc")).orElse("etc"), "routes").toString()
                : config.routes_dir();
        String home = bundleContext.getProperty("karaf.base");
        this.routeFiles = new RouteFiles(ctx, Path.of(dir), STATS, home == null ? null : Path.of(home));
        this.scanner = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-route-files"));
        long interval = Math.max(100, config.scan_interval_ms());
        scanner.scheduleWithFixedDelay(this::scan, 0, interval, TimeUnit.MILLISECONDS);
        LOG.info("Camel context {} started in {} ms; route files from {} (scan every {} ms)", CONTEXT_NAME,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dir, interval);
    }

    /**
     * Binds the named beans routes use (edge aggregation strategies, the MES samples' production
     * summary and work orders) into a context's registry.
     */
    public static void bindBeans(CamelContext context, FogwerkServices services) {
        EdgeBeans.beans().forEach(context.getRegistry()::bind);
        context.getRegistry().bind(ProductionSummary.BEAN, new ProductionSummary());
        context.getRegistry().bind(WorkOrders.BEAN, new WorkOrders(services));
    }

    /** Counters, last errors with their line, and a failure log with a budget, for every route of a context. */
    static void prepare(CamelContext context, RouteStats stats) {
        ExtendedCamelContext ext = context.adapt(ExtendedCamelContext.class);
        ext.addInterceptStrategy(stats);
        context.addRoutePolicyFactory(stats);
        // a route with an errorHandler of its own keeps it; the rest log failures within a budget
        ext.setErrorHandlerFactory(new DefaultErrorHandlerDefinition().logger(new ThrottledErrorLog()));
    }

    @Deactivate
    void deactivate() {
        scanner.shutdownNow();
        try {
            scanner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            contextRegistration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping
        }
        routeFiles.unloadAll();
        context.stop();
    }

    /** Route files and route bundles change the context one at a time, so each knows its own routes. */
    private synchronized void scan() {
        try {
            routeFiles.scan();
        } catch (RuntimeException e) {
            LOG.error("Route files: scan of {} failed", routeFiles.dir(), e);
        }
    }

    /** Every configuration key that is not a setting of this component becomes a {{placeholder}} property. */
    private static Properties placeholders(Map<String, Object> properties) {
        Properties p = new Properties();
        properties.forEach((k, v) -> {
            if (!k.contains("_") && !k.startsWith("service.") && !k.startsWith("component.")
                    && !k.startsWith("felix.") && !k.equals("routes.dir") && !k.equals("scan.interval.ms")
                    && !k.equals("shutdown.timeout.s") && v != null) {
                p.setProperty(k, v.toString());
            }
        });
        return p;
    }

    // --- whiteboard: uplinks, data sources, route builders

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addUplink(Uplink uplink) {
        uplinks.put(uplink.name(), uplink);
    }

    void removeUplink(Uplink uplink) {
        uplinks.remove(uplink.name(), uplink);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(dataSourceName=*)")
    void addDataSource(DataSource dataSource, Map<String, Object> properties) {
        String name = String.valueOf(properties.get("dataSourceName"));
        pendingDataSources.put(name, dataSource);
        if (context != null) {
            bindDataSource(name, dataSource);
        }
    }

    void removeDataSource(DataSource dataSource, Map<String, Object> properties) {
        String name = String.valueOf(properties.get("dataSourceName"));
        NodeDataSource bound = boundDataSources.get(name);
        if (pendingDataSources.remove(name, dataSource) && bound != null) {
            bound.gone(dataSource);
            LOG.info("Camel context {}: DataSource '{}' is gone", CONTEXT_NAME, name);
        }
    }

    /** Routes keep one DataSource per name, which hands out the connections of the pool there is now. */
    private void bindDataSource(String name, DataSource dataSource) {
        NodeDataSource bound = boundDataSources.computeIfAbsent(name, n -> {
            NodeDataSource d = new NodeDataSource(n);
            context.getRegistry().bind(n, DataSource.class, d);
            return d;
        });
        bound.use(dataSource);
        LOG.info("Camel context {}: DataSource '{}' bound for routes (jdbc:{})", CONTEXT_NAME, name, name);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addRoutesBuilder(RoutesBuilder builder, ServiceReference<RoutesBuilder> ref) {
        String origin = "bundle:" + ref.getBundle().getSymbolicName();
        BundleRoutes routes = new BundleRoutes(origin);
        builders.put(builder, routes);
        Set<String> before = routeIds();
        try {
            context.addRoutes(builder);
        } catch (Exception e) {
            routes.error = origin + ": " + RouteFiles.reason(e);
            LOG.error("Routes of {} (service {}) not added: {}", origin, ref.getProperty(Constants.SERVICE_ID),
                    RouteFiles.reason(e));
        }
        Set<String> added = routeIds();
        added.removeAll(before);
        added.forEach(id -> STATS.located(id, origin));
        routes.routeIds = List.copyOf(added);
        LOG.info("Routes of {} added: {}", origin, added);
    }

    synchronized void removeRoutesBuilder(RoutesBuilder builder) {
        BundleRoutes routes = builders.remove(builder);
        if (routes == null) {
            return;
        }
        for (String id : routes.routeIds) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
                ((ModelCamelContext) context).removeRouteDefinition(((ModelCamelContext) context).getRouteDefinition(id));
            } catch (Exception e) {
                LOG.warn("Route {} of {} could not be removed: {}", id, routes.origin, e.toString());
            }
            STATS.forget(id);
        }
        LOG.info("Routes of {} removed: {}", routes.origin, routes.routeIds);
    }

    private Set<String> routeIds() {
        Set<String> ids = new HashSet<>();
        for (Route r : context.getRoutes()) {
            ids.add(r.getRouteId());
        }
        return ids;
    }

    // --- AlarmLog: the events of this context's alarm steps

    @Override
    public List<AlarmEvent> recent(int limit) {
        return ALARMS.recent(limit);
    }

    @Override
    public List<AlarmEvent> after(long sequence) {
        return ALARMS.after(sequence);
    }

    // --- FogwerkServices

    @Override
    public ThingRegistry things() {
        return things;
    }

    @Override
    public ShadowStore shadows() {
        return shadows;
    }

    @Override
    public ConnectorRegistry connectors() {
        return connectors;
    }

    @Override
    public WriteGateway gateway() {
        return gateway;
    }

    @Override
    public TagBus bus() {
        return bus;
    }

    @Override
    public Map<String, Uplink> uplinks() {
        return uplinks;
    }

    @Override
    public Registration addTagListener(TagListener listener, Map<String, Object> properties) {
        ServiceRegistration<TagListener> reg = bundleContext.registerService(TagListener.class, listener,
                new Hashtable<>(properties));
        return () -> unregister(reg);
    }

    @Override
    public Registration addShadowListener(ShadowListener listener) {
        ServiceRegistration<ShadowListener> reg = bundleContext.registerService(ShadowListener.class, listener, null);
        return () -> unregister(reg);
    }

    private static void unregister(ServiceRegistration<?> reg) {
        try {
            reg.unregister();
        } catch (IllegalStateException alreadyGone) {
            // unregistered already, or the bundle is stopping
        }
    }

    // --- RouteCatalog

    @Override
    public List<Row> rows() {
        return RouteRows.of(context, routeFiles, builders.values().stream()
                .map(b -> new RouteRows.Origin(b.origin, b.routeIds, b.error)).toList(), STATS);
    }

    /** The same rows for the REST API, the metrics and readiness, sorted by origin. */
    @Override
    public List<org.fogwerk.api.routes.RouteInfo> routes() {
        return rows().stream()
                .map(r -> new org.fogwerk.api.routes.RouteInfo(r.routeId(), r.origin(), r.state(), r.exchanges(),
                        r.failures(), r.overflow(), r.lastError()))
                .sorted(java.util.Comparator.comparing(org.fogwerk.api.routes.RouteInfo::origin))
                .toList();
    }

    CamelContext context() {
        return context;
    }
}
