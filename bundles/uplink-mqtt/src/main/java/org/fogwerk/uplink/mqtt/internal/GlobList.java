package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.support.glob.Glob;

/** The things or tags an uplink sends: comma-separated patterns ({@code *} any text, {@code ?} one character). */
public final class GlobList {

    private final Glob glob;

    private GlobList(Glob glob) {
        this.glob = glob;
    }

    static GlobList parse(String key, String text) throws InvalidConfigurationException {
        if (!Glob.isGiven(text)) {
            throw new InvalidConfigurationException(null, key, "no pattern given (use * for everything)");
        }
        return new GlobList(Glob.of(text));
    }

    public boolean matches(String name) {
        return glob.matches(name);
    }

    /** Matches the tag name or {@code connection/tag}; the latter is built only when needed. */
    public boolean matchesTag(String connection, String tag) {
        return glob.matchesAll() || glob.matches(tag) || glob.matches(connection + "/" + tag);
    }
}
