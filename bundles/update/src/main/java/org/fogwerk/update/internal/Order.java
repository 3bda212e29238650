package org.fogwerk.update.internal;

import org.fogwerk.api.authority.Caller;

/**
 * A change of the node's software: a feature to bring to a version, or to remove.
 *
 * @param feature the feature name
 * @param version the wanted version, {@code null} to remove the feature
 * @param by      who ordered it
 */
record Order(String feature, String version, Caller by) {

    boolean removal() {
        return version == null;
    }

    String describe() {
        return removal() ? "remove " + feature : feature + " " + version;
    }
}
