package org.fogwerk.camel.internal;

import java.util.Map;
import java.util.function.Predicate;

import org.apache.camel.Endpoint;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.edge.EdgeBeans;
import org.fogwerk.camel.internal.edge.EdgeEndpoints;
import org.fogwerk.camel.internal.edge.EdgeFilters;
import org.fogwerk.camel.internal.edge.TagFilter;

/** Where the component meets the edge-processing blocks (filters on fogwerk:tags, fogwerk:edge endpoints, beans). */
final class EdgeSeam {

    private EdgeSeam() {
    }

    /** The per-value filter the endpoint options ask for (deadband, minInterval, changeOnly ...), or {@code null}. */
    static Predicate<TagValue> filter(Map<String, Object> parameters) {
        TagFilter f = EdgeFilters.fromParameters(parameters);
        return f == null ? null : f::accept;
    }

    static Endpoint endpoint(String uri, FogwerkComponent component, String kind, Map<String, Object> parameters) {
        return EdgeEndpoints.create(uri, component, kind, parameters, component.alarms());
    }

    static Map<String, Object> beans() {
        return EdgeBeans.beans();
    }
}
