package org.fogwerk.api.shadow;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of accepted updates and of deltas, registered as an OSGi service (whiteboard). Calls
 * come from a thread of the store's events, never from the writer, and a slow listener never
 * holds up the store.
 */
@ConsumerType
public interface ShadowListener {

    /** An update was accepted; {@code current} is the whole document after it. */
    default void accepted(ShadowDocument previous, ShadowDocument current) {
    }

    /** An accepted update left desired state that differs from reported state. */
    default void delta(ShadowDocument current) {
    }

    /** A shadow was deleted. */
    default void deleted(String thing, String shadow, long version) {
    }
}
