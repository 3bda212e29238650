package org.fogwerk.api.connector;

/** Where a connection to a machine stands. */
public enum ConnectorState {
    /** Trying to reach the machine (first time or after a loss). */
    CONNECTING,
    /** Connected and every configured tag is being read. */
    CONNECTED,
    /** Connected, but some tags fail (for example unknown addresses). */
    DEGRADED,
    /** Not connected; a reconnect is scheduled with back-off. */
    DISCONNECTED,
    /** Cannot work until someone acts: bad configuration, untrusted certificate. */
    FAILED
}
