package org.fogwerk.core.internal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.core.internal.authority.CommandOrigins;
import org.fogwerk.core.internal.authority.MachineWriter;
import org.fogwerk.core.internal.authority.WritePolicy;
import org.fogwerk.core.internal.authority.WritePolicyService;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a delta into writes to the machines: each desired field that differs from reported and
 * is mapped to a tag is written through the connector registry, which checks it against the tag
 * definition first. The outcome is logged and kept in the field's desired metadata
 * ({@code command}, {@code reason}, {@code at}). Each desired value is sent once; when the
 * machine reports it, the delta clears by itself. Each write is in the audit trail, under the
 * caller who set the desired value through the write gateway, before it leaves the node.
 */
@Component(service = ShadowListener.class, immediate = true)
public final class CommandDispatcher implements ShadowListener {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final ThingRegistry things;
    private final MachineWriter writer;
    private final CommandOrigins origins;
    private final WritePolicyService policy;
    /*
     * Dynamic and optional: the store binds its listeners, this one among them, while it
     * activates, so a static reference back to it would be a cycle.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public volatile ShadowStore store;
    private final ExecutorService outcomes;
    /** thing, shadow and field -> the desired value last sent to the machine. */
    private final Map<String, Object> sent = new ConcurrentHashMap<>();

    @Activate
    public CommandDispatcher(@Reference ThingRegistry things, @Reference ConnectorRegistry connectors,
            @Reference AuditTrail audit, @Reference CommandOrigins origins, @Reference WritePolicyService policy) {
        this.things = things;
        this.policy = policy;
        this.writer = new MachineWriter(connectors, audit);
        this.origins = origins;
        this.outcomes = Executors.newSingleThreadExecutor(DaemonThreads.named("fogwerk-command-outcome"));
    }

    @Deactivate
    public void deactivate() {
        outcomes.shutdownNow();
    }

    @Override
    public void delta(ShadowDocument current) {
        Optional<Thing> thing = things.thing(current.thing());
        if (thing.isEmpty()) {
            return;
        }
        for (FieldMapping m : thing.get().mappings()) {
            Object wanted = JsonValues.get(current.delta(), m.field());
            // the field's desired state counts in the shadow its tag reports in
            if (wanted == null || !things.shadowOf(thing.get(), m).equals(current.shadow())) {
                continue;
            }
            String key = key(current.thing(), current.shadow(), m.field());
            Object before = sent.put(key, wanted);
            if (Objects.equals(before, wanted)) {
                continue;
            }
            LOG.info("Thing {}: desired {} = {} -> write {}/{}", current.thing(), m.field(), wanted, m.connectionId(),
                    m.tag());
            Caller by = origins.of(current.thing(), current.shadow(), m.field());
            // the value may stand long after it was ordered: each write it brings about is checked
            // against the write policy in force, so a source the policy no longer lets write this
            // field drives the machine no more
            CompletionStage<WriteResult> write = policy.policy().mayWrite(by.source(), current.thing(),
                    current.shadow(), m.field())
                    ? writer.write(by, current.thing(), m.connectionId(), m.tag(), wanted)
                    : writer.denied(by, current.thing(), m.connectionId(), m.tag(), wanted, by.source().id()
                            + " ordered this value, and may no longer write " + WritePolicy.target(current.thing(),
                            current.shadow(), m.field()) + " (" + WritePolicyService.FILE_NAME + ")");
            write.whenComplete((result, error) -> record(current, m, result, error));
        }
    }

    @Override
    public void accepted(ShadowDocument previous, ShadowDocument current) {
        // a field whose delta has gone may be sent again when someone wants the same value later
        String prefix = key(current.thing(), current.shadow(), "");
        sent.keySet().removeIf(k -> k.startsWith(prefix)
                && JsonValues.get(current.delta(), k.substring(prefix.length())) == null);
    }

    @Override
    public void deleted(String thing, String shadow, long version) {
        String prefix = key(thing, shadow, "");
        sent.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private void record(ShadowDocument doc, FieldMapping m, WriteResult result, Throwable error) {
        WriteResult r = error != null ? WriteResult.failed(m.connectionId(), m.tag(), String.valueOf(error.getMessage()))
                : result;
        if (r.outcome() == WriteResult.Outcome.DONE) {
            LOG.info("Thing {}: write of {} to {}/{} done", doc.thing(), m.field(), m.connectionId(), m.tag());
        } else {
            LOG.warn("Thing {}: write of {} to {}/{} {}: {}", doc.thing(), m.field(), m.connectionId(), m.tag(),
                    r.outcome(), r.reason());
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("command", r.outcome().name());
        if (!r.reason().isEmpty()) {
            meta.put("reason", r.reason());
        }
        meta.put("at", Instant.now().toString());
        try {
            outcomes.execute(() -> {
                ShadowStore target = store;
                if (target == null) {
                    LOG.warn("Thing {}: the outcome of the write of {} is not recorded: the shadow store is away",
                            doc.thing(), m.field());
                    return;
                }
                try {
                    target.update(doc.thing(), doc.shadow(),
                            new ShadowUpdate(null, null, null, null, Map.of("desired." + m.field(), meta)));
                } catch (ShadowException e) {
                    LOG.warn("Thing {}: the outcome of the write of {} could not be recorded: {} {}", doc.thing(),
                            m.field(), e.code(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private static String key(String thing, String shadow, String field) {
        return thing + '\u0000' + shadow + '\u0000' + field;
    }
}
