package org.fogwerk.api.shadow;

import java.util.Map;

/**
 * An update request in object form: what a JSON request {@code {"state": {"desired": ...,
 * "reported": ...}, "version": ..., "clientToken": ...}} carries, plus attributes the node
 * itself adds to metadata.
 *
 * @param desired     fields to merge into desired state, {@code null} to leave it alone
 * @param reported    fields to merge into reported state, {@code null} to leave it alone
 * @param version     the version the caller expects, {@code null} for no check
 * @param clientToken echoed in the answer, {@code null} for none
 * @param annotations extra attributes for metadata leaves, keyed by section and dotted path
 *                    ({@code "reported.spindle.speed"}), merged beside the leaf's
 *                    {@code timestamp}: the quality of the tag behind a reported field, the
 *                    outcome of the write behind a desired field. Empty for none.
 */
public record ShadowUpdate(Map<String, Object> desired, Map<String, Object> reported, Long version,
        String clientToken, Map<String, Map<String, Object>> annotations) {

    public ShadowUpdate {
        annotations = annotations == null ? Map.of() : annotations;
    }

    /** An update without annotations. */
    public ShadowUpdate(Map<String, Object> desired, Map<String, Object> reported, Long version, String clientToken) {
        this(desired, reported, version, clientToken, Map.of());
    }

    /** Merges fields into reported state, with no version check. */
    public static ShadowUpdate reported(Map<String, Object> reported) {
        return new ShadowUpdate(null, reported, null, null, Map.of());
    }

    /** Merges fields into desired state, with no version check. */
    public static ShadowUpdate desired(Map<String, Object> desired) {
        return new ShadowUpdate(desired, null, null, null, Map.of());
    }
}
