package org.fogwerk.simulator.internal;

import java.net.InetAddress;
import java.util.List;

import org.fogwerk.support.config.InvalidConfigurationException;

/**
 * The protocol side of a simulator: serves the catalog's tags. {@link SimulationRunner} calls
 * {@link #open} and {@link #publish} from the simulator's own thread, {@link #close} from the
 * thread that stops it, after that thread has ended.
 */
interface SimulatedMachine {

    /** Where a client finds the tag, for {@link org.fogwerk.api.simulator.SimulatedTag#address()}. */
    String address(CatalogTag tag);

    /**
     * Starts serving; returns once clients can connect.
     *
     * @param address       the resolved bind address, its port checked free a moment ago
     * @param initialValues one per catalog tag, in catalog order
     * @throws InvalidConfigurationException when a configured value turns out unusable (port taken)
     * @throws Exception               when the server cannot start for another reason
     */
    void open(InetAddress address, List<Object> initialValues) throws Exception;

    /** Shows a read-only tag's new value. */
    void publish(CatalogTag tag, Object value);

    /** Stops serving and frees the port at once; safe to call whether or not open succeeded. */
    void close();
}
