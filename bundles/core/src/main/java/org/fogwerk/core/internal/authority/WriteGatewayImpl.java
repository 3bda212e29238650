package org.fogwerk.core.internal.authority;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.PolicyStatus;
import org.fogwerk.api.authority.RequestCounters;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.support.shadow.JsonSyntax;
import org.fogwerk.support.shadow.ShadowText;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one door for writes. Checks, in this order and before anything is accepted: the role of a
 * logged-in caller, that a remote caller asks about one of this node's things, the write
 * policy of the caller's source for every field, that a shadow may be created, and for desired
 * state on a thing's command shadow that every field maps to a writable tag and its value fits.
 * A refusal and an acceptance are both audited, and the call returns after the entry is on disk.
 */
@Component(service = WriteGateway.class, immediate = true)
public final class WriteGatewayImpl implements WriteGateway {

    private static final Logger LOG = LoggerFactory.getLogger(WriteGatewayImpl.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long AUDIT_WAIT_SECONDS = 10;
    static final String POLICY_FILE = WritePolicyService.FILE_NAME;

    private final ThingRegistry things;
    private final ConnectorRegistry connectors;
    private final ShadowStore store;
    private final AuditTrail audit;
    private final WritePolicyService policy;
    private final CommandOrigins origins;
    private final MachineWriter writer;
    private final MachineFields fields;
    private final CreationLimits creations = new CreationLimits();
    /** Per source: accepted, denied, refused. */
    private final RequestTally tally = new RequestTally();
    /** The node's id: its own thing's name, whose {@link NodeIdentity#SHADOW} shadow orders software updates. */
    private final String node;

    @Activate
    public WriteGatewayImpl(@Reference ThingRegistry things, @Reference ConnectorRegistry connectors,
            @Reference ShadowStore store, @Reference AuditTrail audit, @Reference WritePolicyService policy,
            @Reference CommandOrigins origins, BundleContext context) {
        this(things, connectors, store, audit, policy, origins, NodeIdentity.of(context::getProperty));
    }

    /** A gateway of a node without id: it has no node shadow. */
    public WriteGatewayImpl(ThingRegistry things, ConnectorRegistry connectors, ShadowStore store, AuditTrail audit,
            WritePolicyService policy, CommandOrigins origins) {
        this(things, connectors, store, audit, policy, origins, "");
    }

    public WriteGatewayImpl(ThingRegistry things, ConnectorRegistry connectors, ShadowStore store, AuditTrail audit,
            WritePolicyService policy, CommandOrigins origins, String node) {
        this.node = node == null ? "" : node;
        this.things = things;
        this.connectors = connectors;
        this.store = store;
        this.audit = audit;
        this.policy = policy;
        this.origins = origins;
        this.writer = new MachineWriter(connectors, audit);
        this.fields = new MachineFields(things, connectors);
    }

    // ---- machine writes and calls -----------------------------------------------------------------

    @Override
    public CompletionStage<WriteResult> write(Caller caller, String connection, String tag, Object value) {
        List<ThingRegistry.Target> targets = connection == null || tag == null ? List.of()
                : things.targets(connection, tag);
        String thing = thingOf(connection, targets);
        String denial = roleRefusal(caller, Roles.OPERATOR);
        if (denial == null) {
            denial = policyRefusal(caller, connection, tag, targets);
        }
        if (denial != null) {
            tally.denied(caller.source());
            WriteResult denied = WriteResult.denied(connection, tag, denial);
            return audit.append(MachineWriter.event(AuditEvent.KIND_WRITE, caller, thing, connection + "/" + tag,
                    AuditText.value(value), "denied", denial)).handleAsync((e, error) -> denied);
        }
        Optional<TagDefinition> definition = definition(connection, tag);
        String refusal = definition.isPresent() ? null : missing(connection, tag);
        Object checked = null;
        if (refusal == null) {
            try {
                checked = definition.get().checkWrite(value);
            } catch (IllegalArgumentException e) {
                refusal = e.getMessage();
            }
        }
        if (refusal != null) {
            tally.refused(caller.source());
            WriteResult refused = WriteResult.refused(connection, tag, refusal);
            return audit.append(MachineWriter.event(AuditEvent.KIND_WRITE, caller, thing, connection + "/" + tag,
                    AuditText.value(value), "refused", refusal)).handleAsync((e, error) -> refused);
        }
        tally.accepted(caller.source());
        return writer.write(caller, thing, connection, tag, checked);
    }

    /** Why a tag the connectors do not define cannot be written (asked only then: not on the common path). */
    private String missing(String connection, String tag) {
        if (connection == null || connectors.connector(connection).isEmpty()) {
            return "no connection named " + connection;
        }
        return "connection " + connection + " has no tag named " + tag;
    }

    private String policyRefusal(Caller caller, String connection, String tag, List<ThingRegistry.Target> targets) {
        WritePolicy p = policy.policy();
        if (targets.isEmpty()) {
            return p.mayWrite(caller.source(), nullToEmpty(connection), "", nullToEmpty(tag)) ? null
                    : denied(caller, WritePolicy.target(nullToEmpty(connection), "", nullToEmpty(tag)));
        }
        for (ThingRegistry.Target t : targets) {
            if (!p.mayWrite(caller.source(), t.thing(), t.shadow(), t.field())) {
                return denied(caller, WritePolicy.target(t.thing(), t.shadow(), t.field()));
            }
        }
        return null;
    }

    @Override
    public CompletionStage<CallResult> call(Caller caller, String connection, String objectId, String methodId,
            List<Object> arguments) {
        String denial = roleRefusal(caller, Roles.OPERATOR);
        if (denial == null && !policy.policy().mayCall(caller.source())) {
            denial = caller.source().id() + " may not call machine methods (" + POLICY_FILE + ": "
                    + caller.source().id() + ".calls)";
        }
        String refusal = denial == null && (connection == null || connectors.connector(connection).isEmpty())
                ? "no connection named " + connection : null;
        List<Object> args = arguments == null ? List.of() : arguments;
        String thing = thingOfConnection(connection);
        if (denial != null || refusal != null) {
            tally.answered(caller.source(), denial != null);
            CallResult result = denial != null ? CallResult.denied(connection, methodId, denial)
                    : CallResult.refused(connection, methodId, refusal);
            return audit.append(MachineWriter.event(AuditEvent.KIND_CALL, caller, thing,
                    connection + "/" + objectId + "/" + methodId, AuditText.value(args),
                    denial != null ? "denied" : "refused", denial != null ? denial : refusal))
                    .handleAsync((e, error) -> result);
        }
        tally.accepted(caller.source());
        return writer.call(caller, thing, connection, objectId, methodId, args);
    }

    // ---- shadows ------------------------------------------------------------------------------------

    @Override
    public byte[] updateShadow(Caller caller, String thing, String shadow, byte[] requestJson) throws ShadowException {
        String sh = nullToEmpty(shadow);
        JsonNode request;
        try {
            // as the store answers it: text that is not UTF-8 is an encoding the service does not take
            request = JSON.readTree(ShadowText.utf8(requestJson));
        } catch (ShadowException e) {
            throw refuse(caller, thing, sh, "", e);
        } catch (JsonProcessingException e) {
            throw refuse(caller, thing, sh, "", new ShadowException(400, "Invalid JSON: " + JsonSyntax.describe(e),
                    null));
        } catch (java.io.IOException e) {
            throw refuse(caller, thing, sh, "", new ShadowException(400, "the request cannot be read: "
                    + e.getMessage(), null));
        }
        String token = request != null && request.path("clientToken").isTextual()
                ? request.get("clientToken").asText() : null;
        JsonNode state = request == null ? null : request.get("state");
        JsonNode desired = state == null ? null : state.get("desired");
        JsonNode reported = state == null ? null : state.get("reported");
        Map<String, Object> desiredLeaves = new LinkedHashMap<>();
        Map<String, Object> reportedLeaves = new LinkedHashMap<>();
        if (desired != null && desired.isObject()) {
            DesiredJson.leaves("", desired, desiredLeaves);
        }
        if (reported != null && reported.isObject()) {
            DesiredJson.leaves("", reported, reportedLeaves);
        }
        String summary = DesiredJson.summary(state);
        check(caller, thing, sh, token, desiredLeaves, reportedLeaves, desired != null && desired.isNull(),
                reported != null && reported.isNull(), summary);
        ordered(caller, thing, sh, desiredLeaves);
        byte[] accepted;
        try {
            accepted = store.update(thing, sh, requestJson);
        } catch (ShadowException e) {
            throw refuse(caller, thing, sh, summary, e);
        }
        accepted(caller, thing, sh, summary, token, desiredLeaves);
        return accepted;
    }

    @Override
    public ShadowDocument updateShadow(Caller caller, String thing, String shadow, ShadowUpdate update)
            throws ShadowException {
        String sh = nullToEmpty(shadow);
        Map<String, Object> desiredLeaves = new LinkedHashMap<>();
        Map<String, Object> reportedLeaves = new LinkedHashMap<>();
        if (update.desired() != null) {
            DesiredJson.leaves("", JSON.valueToTree(update.desired()), desiredLeaves);
        }
        if (update.reported() != null) {
            DesiredJson.leaves("", JSON.valueToTree(update.reported()), reportedLeaves);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        if (update.desired() != null || update.removeDesired()) {
            state.put("desired", update.desired());
        }
        if (update.reported() != null || update.removeReported()) {
            state.put("reported", update.reported());
        }
        String summary = DesiredJson.summary(JSON.valueToTree(state));
        check(caller, thing, sh, update.clientToken(), desiredLeaves, reportedLeaves, update.removeDesired(),
                update.removeReported(), summary);
        ordered(caller, thing, sh, desiredLeaves);
        ShadowDocument doc;
        try {
            doc = store.update(thing, sh, update);
        } catch (ShadowException e) {
            throw refuse(caller, thing, sh, summary, e);
        }
        accepted(caller, thing, sh, summary, update.clientToken(), desiredLeaves);
        return doc;
    }

    @Override
    public long deleteShadow(Caller caller, String thing, String shadow, Long expectedVersion, String clientToken)
            throws ShadowException {
        String sh = nullToEmpty(shadow);
        boolean nodeShadow = !node.isEmpty() && node.equals(thing) && NodeIdentity.SHADOW.equals(sh);
        // the node's own shadow holds its software orders and what runs: as its desired state, for admins
        String role = roleRefusal(caller, nodeShadow ? Roles.ADMIN : Roles.OPERATOR);
        if (role != null) {
            throw refuseDelete(caller, thing, sh, new ShadowException(403, role
                    + (nodeShadow ? " (the node's own shadow holds its software updates)" : ""), clientToken));
        }
        if (nodeShadow && !policy.policy().mayUpdate(caller.source())) {
            throw refuseDelete(caller, thing, sh, new ShadowException(403, caller.source().id() + " may not delete"
                    + " the node's own shadow, which orders software updates (" + POLICY_FILE + ": "
                    + caller.source().id() + ".updates)", clientToken));
        }
        if (mustOwn(caller) && !owns(thing)) {
            throw refuseDelete(caller, thing, sh, notOurs(thing, clientToken));
        }
        String kept = policy.policy().removalDenied(caller.source(), thing, sh,
                DesiredJson.held(store, thing, sh, true, true));
        if (kept != null) {
            throw refuseDelete(caller, thing, sh, new ShadowException(403, caller.source().id()
                    + " may not delete " + WritePolicy.holding(thing, sh, kept) + " (" + POLICY_FILE + ")",
                    clientToken));
        }
        long version;
        try {
            version = store.delete(thing, sh, expectedVersion, clientToken);
        } catch (ShadowException e) {
            throw refuseDelete(caller, thing, sh, e);
        }
        tally.accepted(caller.source());
        record(MachineWriter.event(AuditEvent.KIND_SHADOW_DELETE, caller, thing, shadowName(sh), "version " + version,
                "accepted", ""));
        return version;
    }

    @Override
    public boolean owns(String thing) {
        if (thing == null || thing.isEmpty()) {
            return false;
        }
        if (things.thing(thing).isPresent()) {
            return true;
        }
        try {
            return !store.shadows(thing).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public List<RequestCounters> counters() {
        return tally.counters();
    }

    @Override
    public Caller orderedBy(String thing, String shadow, String field) {
        return origins.of(thing, nullToEmpty(shadow), field);
    }

    @Override
    public ShadowException refuseRetained(Caller caller, String thing, String shadow, byte[] requestJson) {
        String summary = "";
        String token = null;
        try {
            JsonNode request = requestJson == null || requestJson.length == 0 ? null : JSON.readTree(requestJson);
            if (request != null && request.isObject()) {
                summary = DesiredJson.summary(request.get("state"));
                token = request.path("clientToken").isTextual() ? request.get("clientToken").asText() : null;
            }
        } catch (java.io.IOException e) {
            // the trail then says what was refused without the request
        }
        return refuse(caller, thing, nullToEmpty(shadow), summary, new ShadowException(400, RETAINED, token));
    }

    @Override
    public void refused(Caller caller, String kind, String thing, String target, int code, String reason) {
        tally.answered(caller.source(), code == 403);
        boolean shadowKind = AuditEvent.KIND_DESIRED.equals(kind) || AuditEvent.KIND_REPORTED.equals(kind)
                || AuditEvent.KIND_SHADOW_DELETE.equals(kind);
        String outcome = outcome(code);
        String recordedThing = nullToEmpty(thing);
        String recordedTarget = shadowKind ? shadowName(nullToEmpty(target)) : nullToEmpty(target);
        if (AuditEvent.KIND_WRITE.equals(kind) && !recordedThing.isEmpty()) {
            // as a write refused here is recorded: under the thing the tag feeds, the target connection/tag
            String connection = recordedThing;
            recordedThing = thingOf(connection, recordedTarget.isEmpty() ? List.of()
                    : things.targets(connection, recordedTarget));
            recordedTarget = connection + "/" + recordedTarget;
        }
        record(MachineWriter.event(kind, caller, recordedThing, recordedTarget, "", outcome, code + " " + reason));
    }

    @Override
    public PolicyStatus policy() {
        return policy.status();
    }

    // ---- checks ---------------------------------------------------------------------------------------

    private void check(Caller caller, String thing, String shadow, String token, Map<String, Object> desired,
            Map<String, Object> reported, boolean removeDesired, boolean removeReported, String summary)
            throws ShadowException {
        if (!node.isEmpty() && node.equals(thing) && NodeIdentity.SHADOW.equals(shadow)) {
            checkNodeShadow(caller, thing, shadow, token, desired, reported, removeDesired, removeReported, summary);
            return;
        }
        String refusal = roleRefusal(caller, Roles.OPERATOR);
        if (refusal != null) {
            throw refuse(caller, thing, shadow, summary, new ShadowException(403, refusal, token));
        }
        if (mustOwn(caller) && !owns(thing)) {
            throw refuse(caller, thing, shadow, summary, notOurs(thing, token));
        }
        WritePolicy p = policy.policy();
        boolean exists = store.shadows(thing).contains(shadow);
        if (!exists && !p.mayCreate(caller.source())) {
            throw refuse(caller, thing, shadow, summary, new ShadowException(403, caller.source().id()
                    + " may not create shadows, and " + shadowName(shadow) + " of thing '" + thing
                    + "' does not exist (" + POLICY_FILE + ": " + caller.source().id() + ".create)", token));
        }
        if (!exists && caller.source().remote()) {
            String limit = creations.refusal(caller.source(), store.shadows(thing).size());
            if (limit != null) {
                throw refuse(caller, thing, shadow, summary, new ShadowException(429, limit, token));
            }
        }
        String kept = removeDesired || removeReported ? p.removalDenied(caller.source(), thing, shadow,
                DesiredJson.held(store, thing, shadow, removeDesired, removeReported)) : null;
        if (kept != null) {
            throw refuse(caller, thing, shadow, summary, new ShadowException(403, caller.source().id()
                    + " may not remove a whole section of " + WritePolicy.holding(thing, shadow, kept) + " ("
                    + POLICY_FILE + ")", token));
        }
        for (String field : desired.keySet()) {
            if (!p.mayWrite(caller.source(), thing, shadow, field)) {
                throw refuse(caller, thing, shadow, summary, new ShadowException(403,
                        denied(caller, WritePolicy.target(thing, shadow, field)), token));
            }
        }
        for (String field : reported.keySet()) {
            if (!p.mayWrite(caller.source(), thing, shadow, field)) {
                throw refuse(caller, thing, shadow, summary, new ShadowException(403,
                        denied(caller, WritePolicy.target(thing, shadow, field)), token));
            }
        }
        Optional<Thing> t = things.thing(thing);
        // a shadow no tag reports in is a twin only: its desired state reaches no machine
        List<FieldMapping> placed = t.isPresent() && t.get().error().isEmpty() ? fields.placedIn(t.get(), shadow) : List.of();
        if (!placed.isEmpty()) {
            String forged = MachineFields.reportedRefusal(caller, t.get(), placed, reported, removeReported);
            if (forged != null) {
                throw refuse(caller, thing, shadow, summary, new ShadowException(403, forged, token));
            }
            String why = fields.commandRefusal(t.get(), placed, desired);
            if (why != null) {
                throw refuse(caller, thing, shadow, summary, new ShadowException(400, why, token));
            }
        }
    }

    /**
     * The node's own shadow: desired state there orders software, so the write policy's
     * {@code updates} permission decides (and the admin role for a user) rather than the field
     * rules; reported state says what runs, and only the node itself says that.
     */
    private void checkNodeShadow(Caller caller, String thing, String shadow, String token, Map<String, Object> desired,
            Map<String, Object> reported, boolean removeDesired, boolean removeReported, String summary)
            throws ShadowException {
        if ((!reported.isEmpty() || removeReported) && caller.source() != Source.NODE) {
            throw refuse(caller, thing, shadow, summary, new ShadowException(403, "the reported state of "
                    + WritePolicy.target(thing, shadow, "*") + " is the node's own: only the node reports what runs",
                    token));
        }
        if (desired.isEmpty() && !removeDesired) {
            return;
        }
        String refusal = roleRefusal(caller, Roles.ADMIN);
        if (refusal != null) {
            throw refuse(caller, thing, shadow, summary, new ShadowException(403, refusal
                    + " (software updates need " + Roles.ADMIN + ")", token));
        }
        if (!policy.policy().mayUpdate(caller.source())) {
            throw refuse(caller, thing, shadow, summary, new ShadowException(403, caller.source().id()
                    + " may not order software updates (" + POLICY_FILE + ": " + caller.source().id() + ".updates)",
                    token));
        }
        if (removeDesired) {
            throw refuse(caller, thing, shadow, summary, new ShadowException(400, "desired: null would remove "
                    + "every feature at once; set each feature to null: {\"features\":{\"<feature>\":null}}", token));
        }
        for (Map.Entry<String, Object> e : desired.entrySet()) {
            String field = e.getKey();
            Object v = e.getValue();
            String name = field.startsWith(NODE_FEATURES) ? field.substring(NODE_FEATURES.length()) : "";
            if (name.isEmpty() || name.contains(".")) {
                throw refuse(caller, thing, shadow, summary, new ShadowException(400, "desired." + field
                        + ": the node's shadow takes only desired.features.<feature> = \"<version>\" or null", token));
            }
            if (v != null && !(v instanceof String version && !version.isBlank())) {
                throw refuse(caller, thing, shadow, summary, new ShadowException(400, "desired." + field
                        + ": a feature version (\"1.2.0\") to install or update, or null to remove, not "
                        + AuditText.value(v), token));
            }
            String notOrderable = NodeIdentity.notOrderable(name);
            if (v != null && notOrderable != null) {
                // the node installs only its own features; null still clears an order made before
                throw refuse(caller, thing, shadow, summary, new ShadowException(400, "desired." + field + ": "
                        + notOrderable, token));
            }
        }
    }

    private static final String NODE_FEATURES = "features.";

    /**
     * Remote sources reach only this node's things. The cloud shadow sync is the exception: its
     * things are named in its uplink's configuration by the node's administrator, and it may
     * bring a shadow down from the cloud that the node does not have yet (where the policy lets
     * it create shadows).
     */
    private static boolean mustOwn(Caller caller) {
        return caller.source().remote() && caller.source() != Source.AWS_CLOUD;
    }

    private static String roleRefusal(Caller caller, String role) {
        if (caller.source() != Source.SHELL && caller.source() != Source.REST) {
            return null;
        }
        return Roles.refusal(caller, role);
    }

    private static String denied(Caller caller, String target) {
        return caller.source().id() + " may not write " + target + " (" + POLICY_FILE + ")";
    }

    private static ShadowException notOurs(String thing, String token) {
        return new ShadowException(404, "No thing named '" + thing + "' on this node", token);
    }

    /**
     * The thing a method call is recorded under, so that {@code audit-list --thing} finds it with
     * the connection's writes: the thing the connection's first tag feeds, else the connection.
     */
    private String thingOfConnection(String connection) {
        if (connection == null) {
            return "";
        }
        List<TagDefinition> tags = connectors.tags(connection);
        return tags.isEmpty() ? connection : thingOf(connection, things.targets(connection, tags.get(0).name()));
    }

    /** The thing a tag write is recorded under: the first thing the tag feeds, else its connection. */
    private static String thingOf(String connection, List<ThingRegistry.Target> targets) {
        return targets.isEmpty() ? nullToEmpty(connection) : targets.get(0).thing();
    }

    /**
     * One rule for the trail and the counters alike: a request the caller may not make (403: its
     * role, the write policy, a cross-site request) is denied, any other refusal (the request
     * itself: 400, 404, 409, 413, 429 ...) is refused.
     */
    static String outcome(int code) {
        return code == 403 ? "denied" : "refused";
    }

    private ShadowException refuse(Caller caller, String thing, String shadow, String summary, ShadowException e) {
        tally.answered(caller.source(), e.code() == 403);
        record(MachineWriter.event(summary.contains("\"desired\"") || summary.isEmpty() ? AuditEvent.KIND_DESIRED
                : AuditEvent.KIND_REPORTED, caller, thing, shadowName(shadow), summary, outcome(e.code()),
                e.code() + " " + e.getMessage()));
        return e;
    }

    private ShadowException refuseDelete(Caller caller, String thing, String shadow, ShadowException e) {
        tally.answered(caller.source(), e.code() == 403);
        record(MachineWriter.event(AuditEvent.KIND_SHADOW_DELETE, caller, thing, shadowName(shadow), "",
                outcome(e.code()), e.code() + " " + e.getMessage()));
        return e;
    }

    /**
     * Remembers who set each desired field before the store takes the update, so a listener that
     * acts on the change (a machine write, a software update) finds who ordered it.
     */
    private void ordered(Caller caller, String thing, String shadow, Map<String, Object> desired) {
        for (String field : desired.keySet()) {
            origins.ordered(thing, shadow, fields.topField(thing, shadow, field), caller);
        }
    }

    /**
     * Records an accepted update: every change of desired state, and of reported state unless the
     * node's routes or the node itself made it (a person or a client of a broker always is on record).
     */
    private void accepted(Caller caller, String thing, String shadow, String summary, String token,
            Map<String, Object> desired) {
        tally.accepted(caller.source());
        boolean desiredChanged = summary.contains("\"desired\"");
        if (!desiredChanged && (caller.source() == Source.ROUTE || caller.source() == Source.NODE)) {
            return; // the node's own routes and its machines' values report often, and their own data
        }
        record(MachineWriter.event(desiredChanged ? AuditEvent.KIND_DESIRED : AuditEvent.KIND_REPORTED, caller, thing, shadowName(shadow), summary, "accepted",
                token == null ? "" : "clientToken " + token));
    }

    /** Writes the entry and waits until it is on disk; a trail that is away is logged, never thrown at the caller. */
    private void record(AuditEvent event) {
        try {
            audit.append(event).toCompletableFuture().get(AUDIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("Audit trail: cannot record {} {} of {} by {}: {}", event.kind(), event.outcome(), event.thing(),
                    event.source(), AuditText.message(e));
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Optional<TagDefinition> definition(String connection, String tag) {
        return connection == null || tag == null ? Optional.empty() : connectors.tag(connection, tag);
    }

    static String shadowName(String shadow) {
        return shadow.isEmpty() ? "classic shadow" : "shadow " + shadow;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
