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
 * @param removeDesired  remove the whole desired section (JSON {@code "desired": null}); {@code desired}
 *                       must then be {@code null}
 * @param removeReported remove the whole reported section (JSON {@code "reported": null});
 *                       {@code reported} must then be {@code null}
 */
public record ShadowUpdate(Map<String, Object> desired, Map<String, Object> reported, Long version,
        String clientToken, Map<String, Map<String, Object>> annotations, boolean removeDesired,
        boolean removeReported) {

    public ShadowUpdate {
        annotations = annotations == null ? Map.of() : annotations;
        if (removeDesired && desired != null) {
            throw new IllegalArgumentException("desired: either fields or removeDesired, not both");
        }
        if (removeReported && reported != null) {
            throw new IllegalArgumentException("reported: either fields or removeReported, not both");
        }
    }

    /** An update that removes no whole section. */
    public ShadowUpdate(Map<String, Object> desired, Map<String, Object> reported, Long version, String clientToken,
            Map<String, Map<String, Object>> annotations) {
        this(desired, reported, version, clientToken, annotations, false, false);
    }

    /** An update without annotations. */
    public ShadowUpdate(Map<String, Object> desired, Map<String, Object> reported, Long version, String clientToken) {
        this(desired, reported, version, clientToken, Map.of());
    }

    /** Removes the whole desired section ({@code "desired": null}), with no version check. */
    public static ShadowUpdate withoutDesired() {
        return new ShadowUpdate(null, null, null, null, Map.of(), true, false);
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
