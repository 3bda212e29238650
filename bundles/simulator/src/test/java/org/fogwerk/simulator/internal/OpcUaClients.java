package org.fogwerk.simulator.internal;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.fogwerk.testing.Configs;

/** The OPC UA simulator the tests of what clients see start, and a Milo client on it. */
final class OpcUaClients {

    private OpcUaClients() {
    }

    /**
     * Starts a simulator on {@code port} with 21 tags, so the 14 read-only ones hold every type
     * twice and the 7 set points every type once, and waits until it serves (a Milo server takes
     * a moment to start).
     */
    static OpcUaSimulator runSimulator(int port, long updateInterval) {
        OpcUaSimulator simulator = new OpcUaSimulator(Configs.typed(OpcUaSimulatorConfig.class,
                "port", port, "tag.count", 21, "writable.count", 7, "update.interval", updateInterval));
        await().atMost(Duration.ofSeconds(15)).until(() -> simulator.status().running());
        return simulator;
    }

    /** A client connected to the simulator on {@code port}, with the server's namespace table read. */
    static OpcUaClient connect(int port) throws Exception {
        OpcUaClient client = OpcUaClient.create("opc.tcp://127.0.0.1:" + port + "/fogwerk");
        client.connect().get();
        client.readNamespaceTable();
        return client;
    }

    /** Disconnects the client and stops the simulator, each where it was started. */
    static void stop(OpcUaClient client, OpcUaSimulator simulator) throws Exception {
        if (client != null) {
            client.disconnect().get();
        }
        if (simulator != null) {
            simulator.deactivate();
        }
    }
}
