package org.fogwerk.simulator.internal;

import java.util.List;

/**
 * What every protocol side of a simulator knows: the PID its errors name, the port it serves
 * on, the tags it serves and how a client write is counted.
 */
abstract class ServingMachine implements SimulatedMachine {

    final String pid;
    final int port;
    final List<CatalogTag> catalog;
    /** Counts one client write. */
    final Runnable onWrite;

    ServingMachine(String pid, int port, List<CatalogTag> catalog, Runnable onWrite) {
        this.pid = pid;
        this.port = port;
        this.catalog = catalog;
        this.onWrite = onWrite;
    }
}
