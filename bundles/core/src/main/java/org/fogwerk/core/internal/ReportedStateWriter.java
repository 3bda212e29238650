package org.fogwerk.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.registry.ThingRegistry.Target;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.concurrent.Termination;
import org.fogwerk.support.log.LogThrottle;
import org.fogwerk.support.config.LenientConfig;
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
 * Makes the reported state of every thing follow its tags. Values are merged per thing (the
 * latest per field wins) and written at most once per report interval, so a tag changing a
 * thousand times a second does not write a thousand versions; a thing's first value after a
 * quiet spell is written at once. The quality of each tag travels in the field's metadata. A
 * write the store refuses is kept as the shadow's failure, with the store's code and reason,
 * until a write to that shadow succeeds again. When the things change (a thing file comes, goes
 * or maps other tags, a connection comes or goes) and when a thing's shadow is deleted, the
 * latest value of every tag is reported again where it now belongs: a set point that never
 * changes would otherwise never reach a new thing's shadow, and a thing coming back would keep
 * the values it had before.
 */
@Component(service = {TagListener.class, ReportedState.class, ShadowListener.class}, immediate = true,
        configurationPid = "org.fogwerk.core.reported",
        property = {TagListener.QUEUE_CAPACITY_PROPERTY + ":Integer=100000",
            // coming up after the connections (a restart of the store), it still reports the tags that do not change
            TagListener.REPLAY_PROPERTY + "=" + TagListener.REPLAY_LATEST})
@Designate(ocd = ReportedStateConfig.class)
public final class ReportedStateWriter implements TagListener, ReportedState, ShadowListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReportedStateWriter.class);
    private static final Duration ERROR_LOG_INTERVAL = Duration.ofSeconds(30);

    private final ThingRegistry things;
    private final ShadowStore store;
    private final long intervalMillis;
    private final ScheduledExecutorService writers;
    /** thing -> shadow -> values waiting; two lookups, so no key is built per value. */
    private final Map<String, Map<String, Pending>> pending = new ConcurrentHashMap<>();
    private final LongAdder writes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LogThrottle errorLog = new LogThrottle(ERROR_LOG_INTERVAL);
    /** Where the latest value of every tag is read when things change. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TagBus bus;
    /** The things' generation last reported for; -1 before the first look. */
    private long seenGeneration = -1;

    @Activate
    public ReportedStateWriter(@Reference ThingRegistry things, @Reference ShadowStore store,
            ReportedStateConfig config) {
        config = LenientConfig.of(ReportedStateConfig.class, config, "etc/org.fogwerk.core.reported.cfg");
        this.things = things;
        this.store = store;
        this.intervalMillis = config.report_interval();
        this.writers = Executors.newScheduledThreadPool(config.writer_threads(),
                DaemonThreads.numbered("fogwerk-reported-"));
        if (things instanceof ThingRegistryImpl) {
            writers.scheduleWithFixedDelay(() -> followThings((ThingRegistryImpl) things), 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Where the latest values come from when things change (the node's tag bus; tests set their own). */
    void reportFrom(TagBus latest) {
        this.bus = latest;
    }

    private void followThings(ThingRegistryImpl registry) {
        long generation = registry.generation();
        if (generation == seenGeneration) {
            return;
        }
        boolean first = seenGeneration < 0;
        seenGeneration = generation;
        if (!first) {
            reportLatest(null, null);
        }
    }

    @Override
    public void deleted(String thing, String shadow, long version) {
        try {
            writers.execute(() -> reportLatest(thing, shadow));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    /** Reports the latest value of every tag again, to every thing or to one thing's shadow. */
    private void reportLatest(String onlyThing, String onlyShadow) {
        TagBus latest = bus;
        if (latest == null) {
            return;
        }
        for (String connection : latest.connections().keySet()) {
            List<TagValue> values = latest.latest(connection);
            if (onlyThing == null) {
                onValues(values);
                continue;
            }
            for (TagValue v : values) {
                for (Target target : things.targets(v.connectionId(), v.tag())) {
                    if (target.thing().equals(onlyThing) && target.shadow().equals(onlyShadow)) {
                        add(target, v);
                    }
                }
            }
        }
    }

    @Deactivate
    public void deactivate() {
        writers.shutdown();
        // what is already due is written; values that arrive later are lost with the component
        Termination.await(writers, 5);
        writers.shutdownNow();
    }

    @Override
    public void onValues(List<TagValue> values) {
        for (int i = 0, n = values.size(); i < n; i++) {
            TagValue v = values.get(i);
            List<Target> targets = things.targets(v.connectionId(), v.tag());
            for (int t = 0, m = targets.size(); t < m; t++) {
                add(targets.get(t), v);
            }
        }
    }

    private void add(Target target, TagValue v) {
        Pending p = pending(target.thing(), target.shadow());
        if (p.add(target.field(), v)) {
            long delay = Math.max(0, p.lastWrite + intervalMillis - System.currentTimeMillis());
            schedule(p, delay);
        }
    }

    private Pending pending(String thing, String shadow) {
        Map<String, Pending> shadows = pending.get(thing);
        if (shadows == null) {
            shadows = pending.computeIfAbsent(thing, t -> new ConcurrentHashMap<>());
        }
        Pending p = shadows.get(shadow);
        return p != null ? p : shadows.computeIfAbsent(shadow, s -> new Pending(thing, shadow));
    }

    @Override
    public long writes() {
        return writes.sum();
    }

    @Override
    public long failedWrites() {
        return failures.sum();
    }

    @Override
    public List<Failure> failing() {
        List<Failure> result = new ArrayList<>();
        pending.values().forEach(shadows -> shadows.values().forEach(p -> {
            Failure f = p.failure;
            if (f != null) {
                result.add(f);
            }
        }));
        result.sort(Comparator.comparing(Failure::thing).thenComparing(Failure::shadow));
        return result;
    }

    private void schedule(Pending p, long delayMillis) {
        try {
            writers.schedule(() -> write(p), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private void write(Pending p) {
        Map<String, TagValue> fields = p.take();
        if (fields.isEmpty()) {
            return;
        }
        Map<String, Object> reported = new LinkedHashMap<>();
        Map<String, Map<String, Object>> annotations = new HashMap<>();
        fields.forEach((field, v) -> {
            if (v.quality() != Quality.BAD || v.value() != null) {
                JsonValues.put(reported, field, JsonValues.toJson(v.value()));
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("quality", v.quality().name());
            if (v.qualityReason() != null) {
                meta.put("reason", v.qualityReason());
            }
            meta.put("sourceTime", v.sourceTime());
            annotations.put("reported." + field, meta);
        });
        try {
            store.update(p.thing, p.shadow, new ShadowUpdate(null, reported, null, null, annotations));
            writes.increment();
            if (p.failure != null) {
                LOG.info("Reported state of thing {}{} is written again after {} failed writes", p.thing,
                        shadowText(p.shadow), p.failure.count());
                p.failure = null;
            }
        } catch (ShadowException | RuntimeException e) {
            failures.increment();
            int code = e instanceof ShadowException ? ((ShadowException) e).code() : 500;
            String reason = e instanceof ShadowException ? e.getMessage() : e.toString();
            Failure before = p.failure;
            p.failure = new Failure(p.thing, p.shadow, code, reason, before == null ? Instant.now() : before.since(),
                    before == null ? 1 : before.count() + 1);
            // a thing's first failure is always told, whatever other things failed just before
            boolean first = before == null;
            if (first || errorLog.admit() >= 0) {
                if (first) {
                    errorLog.wroteAnyway();
                }
                LOG.error("Reported state of thing {}{} could not be written: {} {}", p.thing, shadowText(p.shadow),
                        code, reason);
            }
        } finally {
            // values that arrived while writing are due one interval after this write
            if (p.wroteAndStillDirty()) {
                schedule(p, intervalMillis);
            }
        }
    }

    private static String shadowText(String shadow) {
        return shadow.isEmpty() ? "" : " (shadow " + shadow + ")";
    }

    /** Values of one thing waiting to be written. */
    private static final class Pending {
        final String thing;
        final String shadow;
        /** Why the latest write failed; {@code null} while writes succeed. */
        volatile Failure failure;
        private Map<String, TagValue> fields = new LinkedHashMap<>();
        private boolean scheduled;
        volatile long lastWrite;

        Pending(String thing, String shadow) {
            this.thing = thing;
            this.shadow = shadow;
        }

        /** Returns whether a write must be scheduled. */
        synchronized boolean add(String field, TagValue value) {
            fields.put(field, value);
            if (scheduled) {
                return false;
            }
            scheduled = true;
            return true;
        }

        synchronized Map<String, TagValue> take() {
            Map<String, TagValue> taken = fields;
            fields = new LinkedHashMap<>();
            lastWrite = System.currentTimeMillis();
            return taken;
        }

        synchronized boolean wroteAndStillDirty() {
            if (fields.isEmpty()) {
                scheduled = false;
                return false;
            }
            return true;
        }
    }
}
