package org.fogwerk.api.uplink.spi;

/**
 * A key of an uplink's configuration whose value cannot work with the profile, and why. The
 * message is {@code key: reason}; the uplink reports it after the file's name.
 */
public final class ProfileConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    /**
     * @param key    the key as it is written in the file, for example {@code sparkplug.group.id}
     * @param reason why its value cannot work
     */
    public ProfileConfigurationException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** The key as it is written in the file. */
    public String key() {
        return key;
    }

    /** Why its value cannot work, without the key. */
    public String reason() {
        return reason;
    }
}
