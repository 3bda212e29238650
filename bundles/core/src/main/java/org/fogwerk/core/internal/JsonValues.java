package org.fogwerk.core.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Moves tag values into the JSON object model of shadow documents and back out of it. */
final class JsonValues {

    private JsonValues() {
    }

    /** A tag value as a JSON value: arrays become lists, bytes base64 text. */
    static Object toJson(Object value) {
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        if (value instanceof boolean[] || value instanceof long[] || value instanceof double[]) {
            int length = Array.getLength(value);
            List<Object> list = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                list.add(Array.get(value, i));
            }
            return list;
        }
        if (value instanceof String[]) {
            return List.of((Object[]) value);
        }
        return value;
    }

    /** Puts a value at a dotted path, creating the objects on the way. */
    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> root, String path, Object value) {
        Map<String, Object> node = root;
        int start = 0;
        int dot;
        while ((dot = path.indexOf('.', start)) >= 0) {
            String key = path.substring(start, dot);
            Object child = node.get(key);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                node.put(key, child);
            }
            node = (Map<String, Object>) child;
            start = dot + 1;
        }
        node.put(path.substring(start), value);
    }

    /** The value at a dotted path, or {@code null} when there is none. */
    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> root, String path) {
        Object node = root;
        int start = 0;
        int dot;
        while ((dot = path.indexOf('.', start)) >= 0) {
            if (!(node instanceof Map)) {
                return null;
            }
            node = ((Map<String, Object>) node).get(path.substring(start, dot));
            start = dot + 1;
        }
        return node instanceof Map ? ((Map<String, Object>) node).get(path.substring(start)) : null;
    }
}
