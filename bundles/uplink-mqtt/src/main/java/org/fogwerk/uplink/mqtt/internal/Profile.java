package org.fogwerk.uplink.mqtt.internal;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.fogwerk.api.uplink.spi.ProfileSession.Encoder;

/**
 * What the profile of an MQTT uplink (key {@code profile}: plain JSON, AWS IoT, Sparkplug B)
 * decides: topics and payloads of outbox messages, the session set-up, and the messages the
 * uplink receives. The plain profile is the engine's own; the others are
 * {@link org.fogwerk.api.uplink.spi.UplinkProfile} services, seen through {@link SpiProfile}. The uplink itself keeps the outbox, the in-flight window, reconnects and
 * the status.
 *
 * <p>Threads: {@link #encoder()} instances are used by one thread at a time; {@link #connected},
 * {@link #messageArrived} and {@link #connectionLost} come from Paho's threads; {@link #send}
 * from the uplink's single sender thread.
 */
public interface Profile extends AutoCloseable {

    /** A fresh encoder. */
    Encoder encoder();

    /** Whether values are grouped into batches per topic ({@code batch.*} keys). */
    boolean batched();

    /**
     * Called once as the uplink starts. {@code restartSession} ends the current session cleanly
     * ({@link #closing} first) and connects again, {@link #beforeConnect} first; the argument is
     * the reason the uplink status shows.
     */
    default void restartWith(java.util.function.Consumer<String> restartSession) {
    }

    /** Called before every connect attempt: will message and other session options. */
    default void beforeConnect(MqttConnectOptions options) {
    }

    /**
     * A new session is up. Runs before any outbox message is sent on it: subscribe here, and
     * publish what must come first (births). An exception is logged; the session stays up.
     */
    default void connected(MqttAsyncClient client) throws MqttException {
    }

    /**
     * Whether stored payloads are JSON objects, so the uplink can mark a gap of refused values on
     * the next message of the topic ({@code "gap":N}).
     */
    default boolean jsonPayloads() {
        return false;
    }

    /** Whether outbox messages may be sent now (births done, host application online, ...). */
    default boolean ready() {
        return true;
    }

    /**
     * Publishes one stored outbox message; {@code ack} must be called exactly once (success
     * deletes the message from the outbox, failure keeps it for the next session).
     *
     * @param seq    the outbox sequence number, increasing over the life of the outbox
     * @param replay whether the message waited out a disconnection
     */
    void send(MqttAsyncClient client, String topic, byte[] stored, int offset, long seq, boolean replay, int qos,
            IMqttActionListener ack) throws MqttException;

    /**
     * A message arrived on a subscription of the session. Returns {@code false} when the
     * profile does not handle the topic; the uplink then treats it as a command on
     * {@code command.topic}. Must not block: hand work to another thread.
     */
    default boolean messageArrived(String topic, MqttMessage message) {
        return false;
    }

    /** Whether the uplink subscribes to {@code command.topic} (shadow updates as JSON). */
    default boolean commands() {
        return true;
    }

    /** The session ended without {@link #closing}. */
    default void connectionLost() {
    }

    /** The uplink is about to disconnect cleanly from a connected session. */
    default void closing(MqttAsyncClient client) {
    }

    /** The uplink stopped; release threads and files. */
    @Override
    default void close() {
    }
}
