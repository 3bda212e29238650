package org.fogwerk.broker.internal;

/** A configuration value the broker cannot use; the message names the key, the value and why. */
final class InvalidSettingException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidSettingException(String message) {
        super(message);
    }
}
