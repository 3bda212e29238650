package org.fogwerk.support.config;

/**
 * A configuration value a component cannot work with: the file (or PID) it came from, the key,
 * and why. The message is the one line an operator sees in the log and in the instance's
 * {@code FAILED} status, for example
 * {@code org.fogwerk.simulator.modbus: tag.count = -3 is invalid: must be between 1 and 10000}.
 */
public final class InvalidConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String key;
    private final String reason;

    /**
     * A refusal whose message is {@code file: key: reason}; a part that is {@code null} is left
     * out together with its separator.
     *
     * @param file   the file or PID the configuration came from, {@code null} when unknown
     * @param key    the key, {@code null} when the problem is not one key's
     * @param reason why the value cannot be used
     */
    public InvalidConfigurationException(String file, String key, String reason) {
        this(file, key, reason, prefix(file) + (key == null ? "" : key + ": ") + reason);
    }

    private InvalidConfigurationException(String file, String key, String reason, String message) {
        super(message);
        this.file = file;
        this.key = key;
        this.reason = reason;
    }

    /** {@code file: key = value is invalid: reason}. */
    public static InvalidConfigurationException invalidValue(String file, String key, Object value, String reason) {
        return new InvalidConfigurationException(file, key, reason,
                prefix(file) + key + " = " + value + " is invalid: " + reason);
    }

    /** {@code file: key is invalid: reason}, for a value that could not even be read as the key's type. */
    public static InvalidConfigurationException invalidKey(String file, String key, String reason) {
        return new InvalidConfigurationException(file, key, reason, prefix(file) + key + " is invalid: " + reason);
    }

    /**
     * A refusal whose one line keeps a wording of its own (operators' scripts and documentation
     * quote it); file, key and reason are still there for whoever handles the exception.
     */
    public static InvalidConfigurationException worded(String file, String key, String reason, String message) {
        return new InvalidConfigurationException(file, key, reason, message);
    }

    private static String prefix(String file) {
        return file == null ? "" : file + ": ";
    }

    /** The file or PID the configuration came from, {@code null} when unknown. */
    public String file() {
        return file;
    }

    /** The key whose value is refused, {@code null} when the problem is not one key's. */
    public String key() {
        return key;
    }

    /** Why the value cannot be used, without file and key. */
    public String reason() {
        return reason;
    }
}
