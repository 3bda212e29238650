package org.fogwerk.api.registry;

import java.util.List;
import java.util.Map;

/**
 * A thing the node keeps a shadow for.
 *
 * @param name       the thing name (also its shadow's thing name)
 * @param type       its type, for example {@code press} or {@code cnc-mill}; may be empty
 * @param attributes free attributes (site, line, vendor ...)
 * @param shadow     the shadow its tags report into, empty for the classic shadow
 * @param mappings   which tags feed which fields
 * @param implicit   {@code true} for a thing made from a connection that no thing
 *                   configuration mentions: every tag becomes a top-level field
 * @param error      why its configuration is not in effect, empty when it is
 */
public record Thing(String name, String type, Map<String, String> attributes, String shadow,
        List<FieldMapping> mappings, boolean implicit, String error) {

    public Thing {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        mappings = mappings == null ? List.of() : List.copyOf(mappings);
        type = type == null ? "" : type;
        shadow = shadow == null ? "" : shadow;
        error = error == null ? "" : error;
    }
}
