package org.fogwerk.api.uplink;

/** Where an uplink stands. */
public enum UplinkState {
    CONNECTING,
    /** Connected and sending, live data and any backlog. */
    CONNECTED,
    /** The broker is away; values wait in the outbox. */
    DISCONNECTED,
    /** Cannot work until someone acts: bad configuration or credentials. */
    FAILED,
    /** Waits for something to be installed (its profile); the status says what. */
    WAITING
}
