package org.fogwerk.uplink.aws.internal;

import org.fogwerk.api.uplink.spi.ConnectOptions;
import org.fogwerk.api.uplink.spi.MqttSession;
import org.fogwerk.api.uplink.spi.ProfileSession;

/**
 * The shadow side of an uplink's MQTT session: the {@code $aws/things/.../shadow/...} topics,
 * either served from the node's own store or synchronised with a cloud shadow, beside the
 * engine's JSON telemetry. Calls come from the MQTT client's threads and must not block.
 */
public interface ShadowSession extends ProfileSession {

    /** Shadow requests and answers are small round trips: no Nagle delay on their session. */
    @Override
    default void beforeConnect(ConnectOptions options) {
        options.noDelay();
    }

    /** A session is up: subscribe and start what the session needs. */
    @Override
    void connected(MqttSession session);

    /** Returns {@code true} when the message was on a shadow topic and is handled. */
    @Override
    boolean messageArrived(String topic, byte[] payload);

    /** The session is gone. */
    @Override
    void connectionLost();

    /** The uplink stops; release threads and files. */
    @Override
    void close();
}
