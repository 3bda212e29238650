package org.fogwerk.uplink.aws.internal;

import java.io.IOException;
import java.util.Map;

import org.fogwerk.api.shadow.ShadowDocument;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON documents of the shadow topics (specs/shadow.md), built from the store's documents. */
final class ShadowJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DESIRED = "desired";
    static final String REPORTED = "reported";

    private ShadowJson() {
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /**
     * {@code {"desired": {...}, "reported": {...}}}, an empty section left out, for writing only:
     * the store's maps are written as they are when the answer is serialised, not first copied into
     * a tree (a large machine's reported state, published in a documents event every report
     * interval, made that copy the largest share of what the shadow events allocated).
     */
    private static ObjectNode stateToWrite(ShadowDocument d) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        if (!d.desired().isEmpty()) {
            state.putPOJO(DESIRED, d.desired());
        }
        if (!d.reported().isEmpty()) {
            state.putPOJO(REPORTED, d.reported());
        }
        return state;
    }

    /** {@code {"desired": {...}, "reported": {...}}}, an empty section left out, as a tree to merge. */
    static ObjectNode state(ShadowDocument d) {
        return MAPPER.valueToTree(stateToWrite(d));
    }

    /** What get answers: the whole document with {@code state.delta}, stamped with the time of the answer (as AWS IoT does). */
    static ObjectNode getAnswer(ShadowDocument d, String clientToken) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode state = stateToWrite(d);
        if (!d.delta().isEmpty()) {
            state.putPOJO("delta", d.delta());
        }
        root.set("state", state);
        root.putPOJO("metadata", d.metadata());
        root.put("version", d.version());
        root.put("timestamp", now());
        token(root, clientToken);
        return root;
    }

    /** {@code {state, metadata, version}} as in a documents event. */
    static ObjectNode snapshot(ShadowDocument d) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("state", stateToWrite(d));
        root.putPOJO("metadata", d.metadata());
        root.put("version", d.version());
        return root;
    }

    static ObjectNode documents(ShadowDocument previous, ShadowDocument current, String clientToken) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (previous != null) {
            root.set("previous", snapshot(previous));
        }
        root.set("current", snapshot(current));
        root.put("timestamp", current.timestamp());
        token(root, clientToken);
        return root;
    }

    /** The delta event: the delta, the desired metadata of its fields, version, timestamp. */
    static ObjectNode delta(ShadowDocument current, String clientToken) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        JsonNode delta = MAPPER.valueToTree(current.delta());
        root.set("state", delta);
        Object desiredMeta = current.metadata().get(DESIRED);
        root.set("metadata", restrict(delta, desiredMeta instanceof Map<?, ?> m ? MAPPER.valueToTree(m) : null));
        root.put("version", current.version());
        root.put("timestamp", current.timestamp());
        token(root, clientToken);
        return root;
    }

    /** The metadata of the fields of {@code shape} only. */
    private static ObjectNode restrict(JsonNode shape, JsonNode metadata) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (metadata == null || !metadata.isObject()) {
            return out;
        }
        shape.fields().forEachRemaining(e -> {
            JsonNode m = metadata.get(e.getKey());
            if (m == null) {
                return;
            }
            if (e.getValue().isObject() && !m.has("timestamp")) {
                out.set(e.getKey(), restrict(e.getValue(), m));
            } else {
                out.set(e.getKey(), m);
            }
        });
        return out;
    }

    static ObjectNode deleteAnswer(long version, String clientToken) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", version);
        root.put("timestamp", now());
        token(root, clientToken);
        return root;
    }

    private static void token(ObjectNode root, String clientToken) {
        if (clientToken != null) {
            root.put("clientToken", clientToken);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payload as a tree, or {@code null} when it is not JSON. */
    static JsonNode parse(byte[] payload) {
        try {
            return payload.length == 0 ? null : MAPPER.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }

    /** The clientToken of a request, when it has a readable one. */
    static String clientToken(JsonNode request) {
        JsonNode t = request == null ? null : request.get("clientToken");
        return t != null && t.isTextual() ? t.textValue() : null;
    }
}
