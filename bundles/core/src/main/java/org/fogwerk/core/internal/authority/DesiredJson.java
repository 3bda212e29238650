package org.fogwerk.core.internal.authority;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.support.json.JsonScalars;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the gateway reads from a shadow request's JSON: its leaves as dotted paths, and its errors as one line. */
final class DesiredJson {

    static final ObjectMapper JSON = new ObjectMapper();

    private DesiredJson() {
    }

    /** The leaves of a JSON object as dotted paths; arrays and {@code null} are leaves. */
    static void leaves(String prefix, JsonNode node, Map<String, Object> out) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            JsonNode v = f.getValue();
            if (v.isObject() && v.size() > 0) {
                leaves(path, v, out);
            } else {
                out.put(path, toJava(v));
            }
        }
    }

    /**
     * The fields (dotted leaves) a shadow holds now in the sections a request removes whole
     * ({@code "desired": null}, {@code "reported": null}, or a delete of the shadow): none when the
     * shadow does not exist.
     */
    static Map<String, Object> held(ShadowStore store, String thing, String shadow, boolean desired, boolean reported) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            ShadowDocument doc = store.get(thing, shadow);
            if (desired && doc.desired() != null) {
                leaves("", JSON.valueToTree(doc.desired()), out);
            }
            if (reported && doc.reported() != null) {
                leaves("", JSON.valueToTree(doc.reported()), out);
            }
        } catch (ShadowException e) {
            // no such shadow: it holds nothing
        }
        return out;
    }

    static Object toJava(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        Object scalar = JsonScalars.scalar(v);
        if (scalar != null) {
            return scalar;
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(e -> list.add(toJava(e)));
            return list;
        }
        return JSON.convertValue(v, Map.class);
    }

    static String summary(JsonNode state) {
        return state == null ? "" : AuditText.cut(state.toString());
    }
}
