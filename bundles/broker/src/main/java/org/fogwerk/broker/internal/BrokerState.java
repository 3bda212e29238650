package org.fogwerk.broker.internal;

/** What the embedded broker is doing. */
public enum BrokerState {
    /** Probing the port or starting Moquette. */
    STARTING,
    /** Moquette accepts clients. */
    RUNNING,
    /** Mode auto found another broker answering on the port, so the node uses that one. */
    NOT_STARTED,
    /** Mode off. */
    OFF,
    /** Bad configuration or Moquette could not start; the reason says why. */
    FAILED,
    /** The component was deactivated. */
    STOPPED
}
