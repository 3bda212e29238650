package org.fogwerk.api.simulator;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** A simulated machine served by the node, registered as an OSGi service while configured. */
@ProviderType
public interface Simulator {

    SimulatorStatus status();

    /** The tags it serves, in address order. */
    List<SimulatedTag> tags();
}
