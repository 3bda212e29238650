package org.fogwerk.uplink.mqtt.internal.aws;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * The shadow side of an uplink's MQTT session: the {@code $aws/things/.../shadow/...} topics,
 * either served from the node's own store or synchronised with a cloud shadow. Calls come from
 * Paho's threads and must not block.
 */
public interface ShadowSession extends AutoCloseable {

    /** A session is up: subscribe and start what the session needs. */
    void connected(MqttAsyncClient client);

    /** Returns {@code true} when the message was on a shadow topic and is handled. */
    boolean messageArrived(String topic, MqttMessage message);

    /** The session is gone. */
    void connectionLost();

    /** The uplink stops; release threads and files. */
    @Override
    void close();
}
