package org.fogwerk.broker.internal;

/** What the embedded broker is doing. */
public enum BrokerState {
    /** Starting Moquette. */
    STARTING,
    /** Moquette accepts clients. */
    RUNNING,
    /** Mode off. */
    OFF,
    /** Bad configuration or Moquette could not start; the reason says why. */
    FAILED,
    /** The component was deactivated. */
    STOPPED
}
