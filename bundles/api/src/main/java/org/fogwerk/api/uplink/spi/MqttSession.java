package org.fogwerk.api.uplink.spi;

import java.io.IOException;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The uplink's session with its broker, as a profile uses it: publish and subscribe. The engine
 * owns the connection; a session that is gone refuses further requests.
 */
@ProviderType
public interface MqttSession {

    /**
     * Publishes a message.
     *
     * @return completes when the broker acknowledged it (QoS 1) or it was written (QoS 0)
     * @throws IOException when the client refuses it at once (not connected, too many in flight)
     */
    CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retained) throws IOException;

    /**
     * Subscribes to topic filters.
     *
     * @return completes with the QoS the broker granted each filter ({@code 0x80}: refused)
     * @throws IOException when the client refuses the request at once
     */
    CompletionStage<int[]> subscribe(String[] filters, int[] qos) throws IOException;

    /** Whether the session is still connected. */
    boolean isConnected();
}
