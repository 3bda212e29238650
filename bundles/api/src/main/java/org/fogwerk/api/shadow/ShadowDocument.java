package org.fogwerk.api.shadow;

import java.util.Map;

/**
 * A stored shadow as {@code get} returns it. Maps hold JSON values as Java objects:
 * {@code Map<String, Object>}, {@code List<Object>}, {@link String}, {@link Number},
 * {@link Boolean}.
 *
 * @param thing     the thing name
 * @param shadow    the shadow name, empty for the classic shadow
 * @param desired   desired state, empty when none
 * @param reported  reported state, empty when none
 * @param delta     desired fields that differ from reported
 * @param metadata  {@code {"desired": {...}, "reported": {...}}} with a timestamp per leaf
 * @param version   version, from 1
 * @param timestamp when it was last written, epoch seconds
 */
public record ShadowDocument(String thing, String shadow, Map<String, Object> desired, Map<String, Object> reported,
        Map<String, Object> delta, Map<String, Object> metadata, long version, long timestamp) {
}
