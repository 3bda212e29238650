package org.fogwerk.simulator.internal;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;

/** A Milo client on the OPC UA simulator, as the tests of what clients see use it. */
final class OpcUaClients {

    private OpcUaClients() {
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
