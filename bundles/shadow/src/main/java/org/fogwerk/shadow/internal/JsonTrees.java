package org.fogwerk.shadow.internal;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The object form of a shadow update (maps, lists and plain values, as the reported-state writer
 * and the Java API send it) as a JSON tree. The values a machine reports are built directly, the
 * same nodes Jackson's {@code valueToTree} makes of them; anything else is left to Jackson.
 */
final class JsonTrees {

    private JsonTrees() {
    }

    /** Nesting below which maps and lists are left to Jackson, as all of them were before. */
    private static final int DEPTH = 32;

    /** The tree of {@code value}; {@code null} becomes JSON null. */
    static JsonNode of(ObjectMapper mapper, Object value) {
        try {
            return of(mapper, value, 0);
        } catch (IllegalArgumentException e) {
            // a value Jackson cannot write: Jackson again on the whole, for a refusal that names its path
            return mapper.valueToTree(value);
        }
    }

    private static JsonNode of(ObjectMapper mapper, Object value, int depth) {
        if (value == null) {
            return NullNode.getInstance();
        } else if (value instanceof String s) {
            return TextNode.valueOf(s);
        } else if (value instanceof Double d) {
            return DoubleNode.valueOf(d);
        } else if (value instanceof Boolean b) {
            return BooleanNode.valueOf(b);
        } else if (value instanceof Long l) {
            return LongNode.valueOf(l);
        } else if (value instanceof Integer i) {
            return IntNode.valueOf(i);
        } else if (value instanceof Map<?, ?> map && depth < DEPTH && stringKeys(map)) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> object.set((String) k, of(mapper, v, depth + 1)));
            return object;
        } else if (value instanceof List<?> list && depth < DEPTH) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode(list.size());
            list.forEach(v -> array.add(of(mapper, v, depth + 1)));
            return array;
        }
        return mapper.valueToTree(value);
    }

    private static boolean stringKeys(Map<?, ?> map) {
        for (Object k : map.keySet()) {
            if (!(k instanceof String)) {
                return false;
            }
        }
        return true;
    }
}
