package org.fogwerk.camel.internal;

import java.util.Map;
import java.util.function.Predicate;

import org.apache.camel.Endpoint;
import org.fogwerk.api.TagValue;

/** Where the component meets the edge-processing blocks (filters on fogwerk:tags, fogwerk:edge endpoints, beans). */
final class EdgeSeam {

    private EdgeSeam() {
    }

    static Predicate<TagValue> filter(Map<String, Object> parameters) {
        return null;
    }

    static Endpoint endpoint(String uri, FogwerkComponent component, String kind, Map<String, Object> parameters) {
        return null;
    }

    static Map<String, Object> beans() {
        return Map.of();
    }
}
