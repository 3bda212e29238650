package org.fogwerk.connector.opcua.internal;

/** A configuration value that cannot be used; the message names the file, the key or line, and why. */
final class InvalidConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidConfigException(String message) {
        super(message);
    }
}
