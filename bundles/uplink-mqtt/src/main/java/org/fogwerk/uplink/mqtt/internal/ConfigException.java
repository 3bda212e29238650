package org.fogwerk.uplink.mqtt.internal;

/** A configuration key with a value that cannot work, and why. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
