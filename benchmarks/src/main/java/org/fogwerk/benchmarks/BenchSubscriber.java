package org.fogwerk.benchmarks;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A Paho subscriber of an uplink benchmark (QoS 1, no automatic reconnect): what arrives goes to
 * {@link #messageArrived}; a lost connection fails the run on its figures or is reconnected by it.
 */
abstract class BenchSubscriber implements AutoCloseable, MqttCallback {

    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final String filter;

    /** With {@code cleanSession} false the broker queues for the subscriber while it is away. */
    BenchSubscriber(String url, String clientIdPrefix, String filter, boolean cleanSession, int maxInflight)
            throws MqttException {
        this.filter = filter;
        client = new MqttAsyncClient(url, clientIdPrefix + System.nanoTime(), new MemoryPersistence());
        options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(maxInflight);
        client.setCallback(this);
        connect();
    }

    private void connect() throws MqttException {
        client.connect(options).waitForCompletion(10_000);
        client.subscribe(filter, 1).waitForCompletion(10_000);
    }

    /** After the broker came back: the same session, so what it queued meanwhile arrives. */
    void reconnect() throws MqttException {
        if (!client.isConnected()) {
            connect();
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        // the run fails on its figures, or the outage benchmark reconnects when the broker is back
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // subscriber only
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(10_000);
        }
        client.close();
    }
}
