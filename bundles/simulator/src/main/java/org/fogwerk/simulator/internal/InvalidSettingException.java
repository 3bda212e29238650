package org.fogwerk.simulator.internal;

/**
 * A configuration value a simulator cannot run with. The message is the one line an operator
 * sees, for example {@code org.fogwerk.simulator.modbus: tag.count = -3 is invalid: must be
 * between 1 and 10000}.
 */
final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidSettingException(String pid, String key, Object value, String why) {
        super(pid + ": " + key + " = " + value + " is invalid: " + why);
    }

    /** For a value the configuration could not even convert to the key's type. */
    InvalidSettingException(String pid, String key, String why) {
        super(pid + ": " + key + " is invalid: " + why);
    }
}
