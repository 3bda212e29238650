package org.fogwerk.uplink.mqtt.internal;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT clients of the tests, playing the cloud side on the test's broker (here and in the profile bundles). */
public final class TestClients {

    private TestClients() {
    }

    /**
     * A client connected to {@code url}, with room for 1000 QoS 1 messages in flight, that hands
     * what arrives to {@code arrived} and a lost connection to {@code lost}, in Paho's thread.
     * With {@code cleanSession} false the broker keeps the client's session while it is away.
     */
    public static MqttClient connect(String url, String clientId, boolean cleanSession,
            BiConsumer<String, MqttMessage> arrived, Consumer<Throwable> lost) throws MqttException {
        MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(cleanSession);
        o.setMaxInflight(1000);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.accept(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived.accept(topic, message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
        return client;
    }
}
