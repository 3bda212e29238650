package org.fogwerk.camel.internal.mes;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.camel.internal.component.FogwerkOperationException;
import org.fogwerk.camel.internal.component.FogwerkServices;
import org.fogwerk.camel.internal.component.WriteEndpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Applies a work order from an MES to a machine and says whether the machine took it: the
 * order's fields become the thing's desired state, the node's command path writes the mapped
 * tags, and {@link #apply} returns only when every write is done. Whatever the node or the
 * machine refuses fails the exchange with a {@link FogwerkOperationException} carrying the
 * reason, so a route can mark the order refused; before anything is written the node checks
 * that the machine exists, that each field is mapped to a tag and that each value fits the tag.
 * Bound in the Camel registry as {@value #BEAN}.
 */
public final class WorkOrders {

    /** Registry name routes use: {@code <bean ref="fogwerkWorkOrders" method="apply"/>}. */
    public static final String BEAN = "fogwerkWorkOrders";
    /** Header naming the machine (thing) of the order. */
    public static final String MACHINE_HEADER = "machine";
    /** Optional header: how long to wait for the machine's answer, in ms (default 10000). */
    public static final String TIMEOUT_HEADER = "FogwerkTimeout";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEFAULT_TIMEOUT_MS = 10_000;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final FogwerkServices services;

    public WorkOrders(FogwerkServices services) {
        this.services = services;
    }

    /**
     * Applies the order in the body (a JSON object of fields, nested or dotted like
     * {@code {"setpoint": {"speed": 1200}}}) to the machine named in the {@value #MACHINE_HEADER} header.
     */
    public void apply(Exchange exchange) throws Exception {
        String machine = exchange.getMessage().getHeader(MACHINE_HEADER, String.class);
        Thing thing = services.things().thing(machine == null ? "" : machine)
                .orElseThrow(() -> refused(exchange, "no machine named '" + machine + "' on this node"));
        Map<String, Object> fields = fields(exchange, machine);
        // each field's desired state goes in the shadow it reports in (a large machine has several)
        Map<String, String> shadowOf = new LinkedHashMap<>();
        Map<String, Map<String, Object>> byShadow = new LinkedHashMap<>();
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            String shadow = services.things().shadowOf(thing, check(exchange, thing, f.getKey(), f.getValue()));
            shadowOf.put(f.getKey(), shadow);
            put(byShadow.computeIfAbsent(shadow, s -> new LinkedHashMap<>()), f.getKey(), f.getValue());
        }
        Instant asked = Instant.now();
        // through the write gateway as every route's write: the write policy of source route decides,
        // and the order is in the audit trail under the route
        WriteGateway gateway = services.gateway();
        if (gateway == null) {
            throw new FogwerkOperationException("503", machine + ": the write gateway is not running (it needs the "
                    + "shadow store and the audit trail)", exchange, null);
        }
        for (Map.Entry<String, Map<String, Object>> s : byShadow.entrySet()) {
            try {
                gateway.updateShadow(caller(exchange), thing.name(), s.getKey(), ShadowUpdate.desired(s.getValue()));
            } catch (ShadowException e) {
                throw new FogwerkOperationException(e.code() == 403 ? "DENIED" : "REFUSED", machine
                        + " refused the order: " + e.code() + " " + e.getMessage(), exchange, e);
            }
        }
        Long timeout = exchange.getMessage().getHeader(TIMEOUT_HEADER, Long.class);
        awaitWrites(exchange, thing, shadowOf, asked, timeout == null ? DEFAULT_TIMEOUT_MS : timeout);
    }

    /** The leaves of the order as dotted field names. */
    private Map<String, Object> fields(Exchange exchange, String machine) throws Exception {
        JsonNode order;
        try {
            order = JSON.readTree(exchange.getMessage().getMandatoryBody(String.class));
        } catch (JsonProcessingException | InvalidPayloadException e) {
            throw refused(exchange, "the order for " + machine + " is not JSON: " + e.getMessage());
        }
        if (order == null || !order.isObject() || order.isEmpty()) {
            throw refused(exchange, "the order for " + machine + " must be a JSON object of fields, got "
                    + (order == null ? "nothing" : order.toString()));
        }
        Map<String, Object> leaves = new LinkedHashMap<>();
        flatten("", order, leaves);
        return leaves;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        node.fields().forEachRemaining(e -> {
            String name = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(name + ".", v, out);
            } else {
                out.put(name, JSON.convertValue(v, Object.class));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> nested, String dotted, Object value) {
        String[] parts = dotted.split("\\.");
        Map<String, Object> at = nested;
        for (int i = 0; i < parts.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        }
        at.put(parts[parts.length - 1], value);
    }

    /** What the node refuses before anything reaches the machine; the field's mapping when it passes. */
    private FieldMapping check(Exchange exchange, Thing thing, String field, Object value)
            throws FogwerkOperationException {
        Optional<FieldMapping> mapping = thing.mappings().stream().filter(m -> m.field().equals(field)).findFirst();
        if (mapping.isEmpty()) {
            throw refused(exchange, thing.name() + " has no field " + field + " that writes to a machine tag");
        }
        FieldMapping m = mapping.get();
        List<TagDefinition> tags = services.connectors().tags(m.connectionId());
        Optional<TagDefinition> tag = tags.stream().filter(t -> t.name().equals(m.tag())).findFirst();
        if (tag.isEmpty()) {
            throw refused(exchange, thing.name() + " " + field + ": connection " + m.connectionId()
                    + " has no tag " + m.tag());
        }
        try {
            tag.get().checkWrite(value);
        } catch (IllegalArgumentException e) {
            throw refused(exchange, thing.name() + " " + field + " = " + value + ": " + e.getMessage());
        }
        return m;
    }

    /**
     * Waits until the command path has written every field of the order (its outcome is in the
     * field's desired metadata) or the machine already reports the value.
     */
    private void awaitWrites(Exchange exchange, Thing thing, Map<String, String> shadowOf, Instant asked,
            long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            Map<String, ShadowDocument> docs = new HashMap<>();
            boolean all = true;
            for (Map.Entry<String, String> f : shadowOf.entrySet()) {
                String field = f.getKey();
                ShadowDocument doc = docs.get(f.getValue());
                if (doc == null) {
                    doc = services.shadows().get(thing.name(), f.getValue());
                    docs.put(f.getValue(), doc);
                }
                if (get(doc.delta(), field) == null) {
                    continue; // the machine reports what was asked
                }
                Object meta = get(doc.metadata(), "desired." + field);
                if (!(meta instanceof Map) || !after(((Map<?, ?>) meta).get("at"), asked)) {
                    all = false;
                    continue;
                }
                Object command = ((Map<?, ?>) meta).get("command");
                if (!"DONE".equals(command)) {
                    Object reason = ((Map<?, ?>) meta).get("reason");
                    throw new FogwerkOperationException(String.valueOf(command), thing.name() + " " + field + ": "
                            + String.valueOf(command).toLowerCase(java.util.Locale.ROOT)
                            + (reason == null ? "" : ": " + reason), exchange, null);
                }
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new FogwerkOperationException("TIMEOUT", thing.name() + ": no answer from the machine within "
                        + timeoutMs + " ms", exchange, null);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static boolean after(Object at, Instant asked) {
        if (at == null) {
            return false;
        }
        try {
            return !Instant.parse(at.toString()).isBefore(asked);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Object get(Map<String, Object> doc, String dotted) {
        Object at = doc;
        for (String part : dotted.split("\\.")) {
            if (!(at instanceof Map)) {
                return null;
            }
            at = ((Map<?, ?>) at).get(part);
        }
        return at;
    }

    /** An order refused before it reaches the write gateway, on record there all the same. */
    private FogwerkOperationException refused(Exchange exchange, String reason) {
        WriteGateway gateway = services.gateway();
        String machine = exchange.getMessage().getHeader(MACHINE_HEADER, String.class);
        if (gateway != null) {
            gateway.refused(caller(exchange), AuditEvent.KIND_DESIRED, machine == null ? "" : machine, "", 400, reason);
        }
        return new FogwerkOperationException("REFUSED", reason, exchange, null);
    }

    private static Caller caller(Exchange exchange) {
        return Caller.of(Source.ROUTE, WriteEndpoint.routeOf(exchange));
    }
}
