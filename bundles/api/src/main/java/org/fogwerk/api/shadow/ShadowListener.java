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

    /**
     * An update was accepted, with the client token of its request ({@code null} for none), so a
     * listener can tell its own writes from others'. By default calls {@link #accepted(ShadowDocument, ShadowDocument)}.
     */
    default void accepted(ShadowDocument previous, ShadowDocument current, String clientToken) {
        accepted(previous, current);
    }

    /** An accepted update left desired state that differs from reported state. */
    default void delta(ShadowDocument current) {
    }

    /** A delta, with the client token of the update that left it. By default calls {@link #delta(ShadowDocument)}. */
    default void delta(ShadowDocument current, String clientToken) {
        delta(current);
    }

    /** A shadow was deleted; {@code version} is the version it had. */
    default void deleted(String thing, String shadow, long version) {
    }

    /** A shadow was deleted, with the client token of the request. By default calls {@link #deleted(String, String, long)}. */
    default void deleted(String thing, String shadow, long version, String clientToken) {
        deleted(thing, shadow, version);
    }
}
