package org.fogwerk.connector.opcua.internal;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.fogwerk.connector.opcua.internal.TestSupport.Connections;
import org.fogwerk.simulator.internal.OpcUaSimulator;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of connections to an OPC UA simulator of its own, on a free port: the connections it
 * made and the simulator stop after each test.
 */
abstract class SimulatorFixture {

    /** The test's folder, for the connections' certificates. */
    @TempDir
    Path dir;

    int port;
    OpcUaSimulator simulator;
    final Connections connections = new Connections();

    /** Starts the simulator with {@code tags} tags, {@code writable} of them set points, and waits until it runs. */
    void runSimulator(int tags, int writable, Duration wait) {
        port = FreePorts.next();
        simulator = TestSupport.simulator(port, tags, writable);
        await().atMost(wait).until(() -> simulator.status().running());
    }

    @AfterEach
    void stop() {
        connections.stop();
        if (simulator != null) {
            simulator.deactivate();
        }
    }
}
