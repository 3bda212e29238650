package org.fogwerk.api.registry;

/**
 * One shadow field fed by one connector tag.
 *
 * @param field        dotted path in the shadow's state ({@code spindle.speed} makes nested objects)
 * @param connectionId the connection the tag belongs to
 * @param tag          the tag name within that connection
 */
public record FieldMapping(String field, String connectionId, String tag) {
}
