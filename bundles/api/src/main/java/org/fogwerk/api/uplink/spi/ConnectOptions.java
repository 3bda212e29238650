package org.fogwerk.api.uplink.spi;

import org.osgi.annotation.versioning.ProviderType;

/** What a profile sets up before each connect attempt of its uplink. */
@ProviderType
public interface ConnectOptions {

    /** The message the broker publishes when the session ends without a clean disconnect. */
    void will(String topic, byte[] payload, int qos, boolean retained);

    /** Small request and answer round trips: send every packet at once (no Nagle delay). */
    void noDelay();

    /** Try the next of the uplink's broker URLs first. */
    void nextServer();
}
