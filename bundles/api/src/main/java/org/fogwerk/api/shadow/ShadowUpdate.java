package org.fogwerk.api.shadow;

import java.util.Map;

/**
 * An update request in object form: what a JSON request {@code {"state": {"desired": ...,
 * "reported": ...}, "version": ..., "clientToken": ...}} carries.
 *
 * @param desired     fields to merge into desired state, {@code null} to leave it alone
 * @param reported    fields to merge into reported state, {@code null} to leave it alone
 * @param version     the version the caller expects, {@code null} for no check
 * @param clientToken echoed in the answer, {@code null} for none
 */
public record ShadowUpdate(Map<String, Object> desired, Map<String, Object> reported, Long version,
        String clientToken) {
}
