package org.fogwerk.update.internal;

import static org.fogwerk.update.internal.FeatureInstaller.message;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.apache.karaf.features.FeaturesService;
import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's software as its own shadow ({@value NodeIdentity#SHADOW} of the thing named
 * after the node) asks: reported state says what runs (Fogwerk version, each Fogwerk feature
 * and its version, JVM, uptime, health, the last update of each feature); a feature version in
 * desired state is installed or updated, a feature set to {@code null} removed, one after the
 * other in the order they came. The write gateway has already checked who may order that; only
 * Fogwerk's own features are ordered, an order for any other feature is refused before anything
 * is installed. Health is looked at every few seconds, and reported again as soon as it changed.
 *
 * <p>An update is done when the feature's own bundles are Active and none of their components
 * FAILED, and stayed so for a moment; if that does not happen within the time limit, or Karaf
 * cannot install it, the node goes back to the version it had and says so in reported state,
 * the log and the audit trail. Each step is audited under the caller who ordered it.
 */
@Component(service = { NodeUpdater.class, ShadowListener.class }, immediate = true, configurationPid = NodeUpdater.PID)
@Designate(ocd = NodeUpdateConfig.class)
public final class NodeUpdater implements ShadowListener {

    static final String PID = "org.fogwerk.update";

    private static final Logger LOG = LoggerFactory.getLogger(NodeUpdater.class);
    private static final Caller SELF = Caller.of(Source.NODE, "software updates");
    private static final long AUDIT_WAIT_SECONDS = 10;
    private static final Duration HEALTH_POLL = Duration.ofSeconds(5);
    private static final String REFUSED = "refused";

    private final BundleContext context;
    private final FeatureInstaller installer;
    private final HealthCheck health;
    private final AuditTrail audit;
    private final String node;
    private final Duration healthTimeout;
    private final Duration healthSettle;
    private final ScheduledExecutorService worker;

    /*
     * Dynamic and optional: the store binds its listeners, this one among them, while it
     * activates, and the gateway needs the store, so static references back would be a cycle.
     */
    private final AtomicReference<ShadowStore> store = new AtomicReference<>();
    private final AtomicReference<WriteGateway> gateway = new AtomicReference<>();
    /** What runs before an install must run after it: the node's connections and uplinks. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConnectorRegistry connectors;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    final List<Uplink> uplinks = new CopyOnWriteArrayList<>();

    /** Orders not yet begun, by feature, in the order they came; a newer order for a feature replaces its older. */
    private final Map<String, Order> pending = new LinkedHashMap<>();
    /** The latest step of each feature since the node started. */
    private final Map<String, UpdateStep> steps = new HashMap<>();
    private UpdateStep running;
    /** The health the node last reported (or tried to: a failed write is tried again at the report interval). */
    private volatile String reportedHealth;

    @Activate
    public NodeUpdater(BundleContext context, NodeUpdateConfig config, @Reference FeaturesService features,
            @Reference ServiceComponentRuntime scr, @Reference AuditTrail audit) {
        this(context, new FeatureInstaller(features, context,
                (config = LenientConfig.of(NodeUpdateConfig.class, config, "etc/" + PID + ".cfg")).repository()),
                new HealthCheck(scr), audit, NodeIdentity.of(context::getProperty),
                Duration.ofSeconds(Math.max(1, config.health_timeout())), Duration.ofSeconds(Math.max(0,
                config.health_settle())), Math.max(10, config.report_interval()), HEALTH_POLL);
    }

    NodeUpdater(BundleContext context, FeatureInstaller installer, HealthCheck health, AuditTrail audit, String node,
            Duration healthTimeout, Duration healthSettle, int reportSeconds, Duration healthPoll) {
        this.context = context;
        this.installer = installer;
        this.health = health;
        this.audit = audit;
        this.node = node;
        this.healthTimeout = healthTimeout;
        this.healthSettle = healthSettle;
        this.worker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-node-update"));
        worker.scheduleWithFixedDelay(this::report, reportSeconds, reportSeconds, TimeUnit.SECONDS);
        // at start bundles become Active one after the other: the shadow says so once they are
        worker.scheduleWithFixedDelay(this::reportHealthChange, healthPoll.toMillis(), healthPoll.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Software updates: node {} takes orders in the desired state of its shadow {}; health time limit {} s",
                node, NodeIdentity.SHADOW, healthTimeout.toSeconds());
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindStore(ShadowStore s) {
        bound(store, s);
    }

    void unbindStore(ShadowStore s) {
        store.compareAndSet(s, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindGateway(WriteGateway g) {
        bound(gateway, g);
    }

    void unbindGateway(WriteGateway g) {
        gateway.compareAndSet(g, null);
    }

    /** The store or the gateway came: once both are there, the node catches up with its shadow. */
    private <T> void bound(AtomicReference<T> reference, T service) {
        reference.set(service);
        submit(this::catchUp);
    }

    /** The thing and shadow that order this node's software. */
    public String shadowName() {
        return node + "/" + NodeIdentity.SHADOW;
    }

    // ---- orders -------------------------------------------------------------------------------------

    /**
     * Orders a change through the node's shadow, as any other entry point would: the gateway
     * checks the caller, the shadow listener picks the order up.
     *
     * @param version the version, {@code null} to remove the feature
     * @throws ShadowException 400 for a feature that is not Fogwerk's own, or as the gateway refuses
     */
    public void order(Caller caller, String feature, String version) throws ShadowException {
        WriteGateway g = gateway.get();
        if (g == null) {
            throw new ShadowException(503, "the write gateway is not running", null);
        }
        String refusal = NodeIdentity.notOrderable(feature);
        if (refusal != null) {
            g.refused(caller, AuditEvent.KIND_UPDATE, node, feature + (version == null ? " (removal)" : " " + version),
                    400, refusal); // not in desired state: on record as an update, and counted as a refusal
            throw new ShadowException(400, refusal, null);
        }
        Map<String, Object> features = new HashMap<>();
        features.put(feature, version);
        boolean named = NodeShadow.desiredFeatures(document()).containsKey(feature);
        g.updateShadow(caller, node, NodeIdentity.SHADOW,
                ShadowUpdate.desired(Map.of(NodeShadow.FEATURES, features)));
        if (version == null && !named) {
            /*
             * null takes a feature out of desired state; one desired state never named (installed with the
             * node) leaves no change there to see: the order is taken here, as the gateway checked it.
             */
            Order removal = new Order(feature, null, caller);
            submit(() -> {
                enqueue(removal, document());
                drain();
            });
        }
    }

    /**
     * Runs on the store's one event thread, which serves every listener of the node: only reads
     * the orders and who gave them, and leaves the rest to this component's own thread.
     */
    @Override
    public void accepted(ShadowDocument previous, ShadowDocument current) {
        if (!node.equals(current.thing()) || !NodeIdentity.SHADOW.equals(current.shadow())) {
            return;
        }
        List<Order> orders = new ArrayList<>();
        for (String feature : NodeShadow.removed(previous, current)) {
            orders.add(new Order(feature, null, orderedBy(feature)));
        }
        NodeShadow.desiredFeatures(current).forEach((feature, version) ->
                orders.add(new Order(feature, version, orderedBy(feature))));
        submit(() -> {
            orders.forEach(o -> enqueue(o, current));
            drain();
        });
    }

    private Caller orderedBy(String feature) {
        WriteGateway g = gateway.get();
        return g == null ? SELF : g.orderedBy(node, NodeIdentity.SHADOW, NodeShadow.FEATURES + "." + feature);
    }

    private void enqueue(Order order, ShadowDocument doc) {
        if (!FeatureInstaller.fogwerk(order.feature())) {
            // desired state takes any feature name: the order is refused here, once
            boolean changes = order.removal() ? installer.installedVersion(order.feature()).isPresent()
                    : !failedAlready(order, doc);
            if (changes) {
                progress(UpdateStep.begin(order, installer.installedVersion(order.feature()).orElse(""))
                        .failed(REFUSED + ": " + NodeIdentity.notOrderable(order.feature()), ""), REFUSED);
            }
            return;
        }
        if (!needed(order, doc)) {
            return;
        }
        synchronized (steps) {
            Order before = pending.get(order.feature());
            if (order.equals(before) || (running != null && !running.finished() && running.order().equals(order))) {
                return;
            }
            pending.remove(order.feature());
            pending.put(order.feature(), order);
        }
        record(order.by(), order, "ordered", "");
    }

    /** Whether the order still changes anything. */
    private boolean needed(Order order, ShadowDocument doc) {
        Optional<String> installed = installer.installedVersion(order.feature());
        if (order.removal()) {
            return installed.isPresent();
        }
        if (installed.isPresent() && FeatureInstaller.same(installed.get(), order.version())) {
            return false;
        }
        return !failedAlready(order, doc);
    }

    /** Whether the node already tried (or refused) this version after it was last ordered, and it failed. */
    private boolean failedAlready(Order order, ShadowDocument doc) {
        if (NodeShadow.failedSince(doc, order.feature(), order.version())) {
            return true;
        }
        // the failure may not be in reported state yet
        UpdateStep last;
        synchronized (steps) {
            last = steps.get(order.feature());
        }
        return last != null && UpdateStep.FAILED.equals(last.state()) && order.version().equals(last.order().version())
                && last.at().getEpochSecond() >= NodeShadow.orderedAt(doc, order.feature());
    }

    /** After a start: what the shadow asked for while the node was away, and what runs now. */
    private void catchUp() {
        if (store.get() == null || gateway.get() == null) {
            return;
        }
        report();
        ShadowDocument doc = document();
        if (doc != null) {
            NodeShadow.desiredFeatures(doc).forEach((feature, version) ->
                    enqueue(new Order(feature, version, orderedBy(feature)), doc));
        }
        drain();
    }

    private void drain() {
        while (!Thread.currentThread().isInterrupted()) {
            Order next;
            synchronized (steps) {
                if (pending.isEmpty()) {
                    return;
                }
                next = pending.remove(pending.keySet().iterator().next());
            }
            if (needed(next, document())) {
                apply(next);
            }
        }
    }

    // ---- applying one order -----------------------------------------------------------------------

    private void apply(Order order) {
        String from = installer.installedVersion(order.feature()).orElse("");
        UpdateStep step = UpdateStep.begin(order, from);
        progress(step, "started");
        if (order.removal()) {
            try {
                installer.uninstall(order.feature(), from);
                progress(step.done(), "done");
            } catch (Exception e) {
                progress(step.failed("Karaf cannot remove it: " + message(e), ""), "failed");
            }
            return;
        }
        String why;
        HealthCheck.Running ran = HealthCheck.Running.now(connectors, uplinks);
        try {
            installer.install(order.feature(), order.version());
            List<String> problems = HealthCheck.await(() -> problemsOf(order.feature(), order.version(), ran),
                    healthTimeout, healthSettle);
            if (problems.isEmpty()) {
                progress(step.done(), "done");
                return;
            }
            why = "not healthy within " + healthTimeout.toSeconds() + " s: " + String.join("; ", problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress(step.failed("interrupted: the node is stopping", ""), "failed");
            return;
        } catch (Exception e) {
            why = "Karaf cannot install it: " + message(e);
        }
        rollBack(step, why, ran);
        installer.forget(step.order().version()); // the failed version: never picked by Karaf itself later
    }

    /** Goes back to the version before (or removes a feature that was new), and says how that went. */
    private void rollBack(UpdateStep step, String why, HealthCheck.Running ran) {
        Order order = step.order();
        Optional<String> now = installer.installedVersion(order.feature());
        boolean untouched = step.from().isEmpty() ? now.isEmpty()
                : now.isPresent() && FeatureInstaller.same(now.get(), step.from())
                        && problemsOf(order.feature(), step.from(), ran).isEmpty();
        if (untouched) {
            // Karaf changed nothing (no such version, say): there is nothing to go back from
            progress(step.failed(why, ""), "failed");
            return;
        }
        LOG.warn("Software update {} failed: {}; going back to {}", order.describe(), why,
                step.from().isEmpty() ? "no " + order.feature() : step.from());
        try {
            if (step.from().isEmpty()) {
                Optional<String> installed = installer.installedVersion(order.feature());
                if (installed.isPresent()) {
                    installer.uninstall(order.feature(), installed.get());
                }
                progress(step.failed(why, "(removed)"), "failed");
                record(order.by(), order, "rolled-back", "removed again");
                return;
            }
            installer.install(order.feature(), step.from());
            List<String> again = HealthCheck.await(() -> problemsOf(order.feature(), step.from(), ran), healthTimeout,
                    healthSettle);
            String backTo = step.from();
            UpdateStep failed = step.failed(why + (again.isEmpty() ? ""
                    : "; " + backTo + " is not healthy either: " + String.join("; ", again)), backTo);
            progress(failed, "failed");
            record(order.by(), order, "rolled-back", "back to " + backTo);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress(step.failed(why + "; interrupted while going back", ""), "failed");
        } catch (Exception e) {
            progress(step.failed(why + "; going back to " + step.from() + " failed too: " + message(e), ""), "failed");
        }
    }

    private List<String> problemsOf(String feature, String version, HealthCheck.Running ran) {
        try {
            FeatureInstaller.FeatureBundles b = installer.ownBundles(feature, version);
            List<String> problems = new ArrayList<>(b.missing());
            problems.addAll(health.problems(b.running()));
            problems.addAll(ran.stoppedIn(HealthCheck.Running.now(connectors, uplinks)));
            return problems;
        } catch (Exception e) {
            return List.of(message(e));
        }
    }

    /** Publishes a step: the log, the audit trail, reported state, and anyone waiting in the shell. */
    private void progress(UpdateStep step, String outcome) {
        synchronized (steps) {
            steps.put(step.order().feature(), step);
            running = step.finished() ? null : step;
            steps.notifyAll();
        }
        if (REFUSED.equals(outcome)) {
            LOG.warn("Software update {}", step.describe());
        } else if (UpdateStep.FAILED.equals(step.state())) {
            LOG.error("Software update {}", step.describe());
        } else {
            LOG.info("Software update {}", step.describe());
        }
        record(step.order().by(), step.order(), outcome, step.reason().isEmpty()
                ? (step.from().isEmpty() ? "" : "from " + step.from()) : step.reason());
        Map<String, Object> updates = new HashMap<>();
        updates.put(step.order().feature(), step.reported());
        report(Map.of(NodeShadow.UPDATES, updates));
    }

    // ---- reported state -----------------------------------------------------------------------------

    private void report() {
        report(Map.of());
    }

    /** Reports again when the node's health is not what it last reported. */
    private void reportHealthChange() {
        try {
            if (gateway.get() != null && store.get() != null && !health.nodeHealth(context).equals(reportedHealth)) {
                report();
            }
        } catch (RuntimeException e) {
            // the report at the interval logs why the status cannot be read
        }
    }

    /** Writes what runs into reported state, with the extra fields given. */
    private void report(Map<String, Object> extra) {
        WriteGateway g = gateway.get();
        if (g == null || store.get() == null) {
            return;
        }
        try {
            Map<String, Object> reported = new LinkedHashMap<>(status());
            ShadowDocument doc = document();
            Map<String, Object> features = new HashMap<>(NodeShadow.asDesired(installer.installed(), doc));
            if (doc != null && doc.reported().get(NodeShadow.FEATURES) instanceof Map<?, ?> before) {
                for (Object f : before.keySet()) {
                    features.putIfAbsent(String.valueOf(f), null); // removed since: null deletes it
                }
            }
            reported.put(NodeShadow.FEATURES, features);
            reported.putAll(extra);
            reportedHealth = (String) reported.get("health");
            g.updateShadow(SELF, node, NodeIdentity.SHADOW, ShadowUpdate.reported(reported));
        } catch (ShadowException e) {
            LOG.warn("Software updates: the node's shadow {}/{} cannot be written: {} {}", node, NodeIdentity.SHADOW,
                    e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Software updates: the node's status cannot be reported: {}", message(e));
        }
    }

    /** The node's software and health, as reported state and {@code node-status} show them. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, String> installed = installer.installed();
        s.put("fogwerk", installed.getOrDefault("fogwerk", context.getBundle().getVersion().toString()));
        s.put("jvm", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        s.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        s.put("health", health.nodeHealth(context));
        return s;
    }

    public Map<String, String> installed() {
        return installer.installed();
    }

    /** The orders not yet begun, in the order they will run. */
    public List<String> pending() {
        synchronized (steps) {
            return pending.values().stream().map(o -> o.describe() + " (ordered by " + o.by() + ")").toList();
        }
    }

    /** The update under way. */
    public Optional<String> running() {
        synchronized (steps) {
            return Optional.ofNullable(running).map(UpdateStep::describe);
        }
    }

    /** The latest result of each feature since the node started, by feature. */
    public Map<String, String> lastResults() {
        Map<String, String> result = new java.util.TreeMap<>();
        synchronized (steps) {
            steps.forEach((f, s) -> result.put(f, s.describe()));
        }
        return result;
    }

    /**
     * Follows the feature's update that began at or after {@code since}, telling {@code progress}
     * of each step (and every few seconds while it runs).
     *
     * @return how it ended, empty when the wait ran out
     */
    public Optional<UpdateOutcome> follow(String feature, Instant since, Duration limit, Consumer<String> progress)
            throws InterruptedException {
        return await(feature, since, limit, s -> progress.accept(s.describe()))
                .map(s -> new UpdateOutcome(UpdateStep.FAILED.equals(s.state()), s.rolledBackTo()));
    }

    public Optional<String> installedVersion(String feature) {
        return installer.installedVersion(feature);
    }

    /**
     * Waits until the feature's step that began at or after {@code since} is finished, telling
     * {@code progress} of each step on the way.
     *
     * @return the finished step, empty when the wait ran out
     */
    Optional<UpdateStep> await(String feature, Instant since, Duration limit, Consumer<UpdateStep> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        UpdateStep told = null;
        synchronized (steps) {
            while (true) {
                UpdateStep s = steps.get(feature);
                if (s != null && !s.started().isBefore(since.minusSeconds(1)) && !s.equals(told)) {
                    progress.accept(s);
                    told = s;
                    if (s.finished()) {
                        return Optional.of(s);
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return Optional.empty();
                }
                steps.wait(Math.min(left, 5000));
                if (told != null && !told.finished() && steps.get(feature) == told) {
                    progress.accept(told); // still at it: say so every few seconds
                }
            }
        }
    }

    public Duration healthTimeout() {
        return healthTimeout;
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private ShadowDocument document() {
        ShadowStore s = store.get();
        if (s == null) {
            return null;
        }
        try {
            return s.shadows(node).contains(NodeIdentity.SHADOW) ? s.get(node, NodeIdentity.SHADOW) : null;
        } catch (ShadowException e) {
            return null;
        }
    }

    private void record(Caller by, Order order, String outcome, String detail) {
        AuditEvent event = new AuditEvent(AuditEvent.KIND_UPDATE, by.source().id(), by.identity(), node,
                "feature " + order.feature(), order.removal() ? "(remove)" : order.version(), outcome, detail);
        try {
            CompletionStage<AuditEntry> written = audit.append(event);
            written.toCompletableFuture().get(AUDIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("Audit trail: cannot record the update step {} {} by {}: {}", order.describe(), outcome, by,
                    message(e));
        }
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }
}
