package org.fogwerk.uplink.aws.internal;

import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The three-way merge of a local and a cloud shadow against the last synchronised state, and
 * the update that turns one state into another. A state is {@code {"desired": {...},
 * "reported": {...}}}; a missing section counts as empty.
 */
final class ShadowMerge {

    /** Numbers compare by value (1 equals 1.0), as the shadow service does. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private ShadowMerge() {
    }

    static ObjectNode empty() {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.putObject(ShadowJson.DESIRED);
        state.putObject(ShadowJson.REPORTED);
        return state;
    }

    /** The state part of a document ({@code state.desired}, {@code state.reported}), sections always present. */
    static ObjectNode stateOf(JsonNode document) {
        JsonNode state = document == null ? null : document.get("state");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String section : new String[] {ShadowJson.DESIRED, ShadowJson.REPORTED}) {
            JsonNode s = state == null ? null : state.get(section);
            out.set(section, s != null && s.isObject() ? s.deepCopy() : JsonNodeFactory.instance.objectNode());
        }
        return out;
    }

    static boolean isEmpty(ObjectNode state) {
        return state.get(ShadowJson.DESIRED).isEmpty() && state.get(ShadowJson.REPORTED).isEmpty();
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(BY_VALUE, b);
    }

    /**
     * Per field: changed on one side only takes that side; changed on both, {@code reported}
     * takes the local side and {@code desired} the cloud side. A removed field is a change.
     */
    static ObjectNode merge(ObjectNode base, ObjectNode local, ObjectNode cloud) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set(ShadowJson.DESIRED, section(merge(base.get(ShadowJson.DESIRED), local.get(ShadowJson.DESIRED),
                cloud.get(ShadowJson.DESIRED), false)));
        out.set(ShadowJson.REPORTED, section(merge(base.get(ShadowJson.REPORTED), local.get(ShadowJson.REPORTED),
                cloud.get(ShadowJson.REPORTED), true)));
        return out;
    }

    private static JsonNode section(JsonNode merged) {
        return merged != null && merged.isObject() ? merged : JsonNodeFactory.instance.objectNode();
    }

    private static JsonNode merge(JsonNode base, JsonNode local, JsonNode cloud, boolean localWins) {
        if (same(local, cloud) || same(cloud, base)) {
            return local;
        }
        if (same(local, base)) {
            return cloud;
        }
        if (local != null && local.isObject() && cloud != null && cloud.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Set<String> keys = new LinkedHashSet<>();
            local.fieldNames().forEachRemaining(keys::add);
            cloud.fieldNames().forEachRemaining(keys::add);
            JsonNode b = base != null && base.isObject() ? base : null;
            for (String k : keys) {
                JsonNode v = merge(b == null ? null : b.get(k), local.get(k), cloud.get(k), localWins);
                if (v != null) {
                    out.set(k, v);
                }
            }
            return out;
        }
        return localWins ? local : cloud;
    }

    /**
     * The {@code state} of an update request that turns {@code from} into {@code to}: changed
     * fields, removed fields as null; a section without changes is left out. Empty when equal.
     */
    static ObjectNode patch(ObjectNode from, ObjectNode to) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String section : new String[] {ShadowJson.DESIRED, ShadowJson.REPORTED}) {
            ObjectNode p = patchObject((ObjectNode) from.get(section), (ObjectNode) to.get(section));
            if (!p.isEmpty()) {
                out.set(section, p);
            }
        }
        return out;
    }

    private static ObjectNode patchObject(ObjectNode from, ObjectNode to) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<java.util.Map.Entry<String, JsonNode>> it = to.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode f = from.get(e.getKey());
            JsonNode t = e.getValue();
            if (f == null) {
                out.set(e.getKey(), t.deepCopy());
            } else if (!same(f, t)) {
                if (f.isObject() && t.isObject()) {
                    out.set(e.getKey(), patchObject((ObjectNode) f, (ObjectNode) t));
                } else {
                    out.set(e.getKey(), t.deepCopy());
                }
            }
        }
        from.fieldNames().forEachRemaining(k -> {
            if (!to.has(k)) {
                out.putNull(k);
            }
        });
        return out;
    }
}
