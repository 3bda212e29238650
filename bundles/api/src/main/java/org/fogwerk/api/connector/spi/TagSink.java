package org.fogwerk.api.connector.spi;

import java.util.List;

import org.fogwerk.api.TagValue;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where connectors hand over the values they read. Provided by the node's core as an OSGi
 * service. Calls never block: each connection has a bounded queue, and when it is full the
 * value is dropped and counted, so a slow consumer can never stall a machine connection.
 */
@ProviderType
public interface TagSink {

    /**
     * Hands over one value.
     *
     * @return {@code false} when the connection's queue was full and the value was dropped
     */
    boolean publish(TagValue value);

    /**
     * Hands over values of one connection in the order they were read.
     *
     * @return how many were taken; the rest were dropped because the queue was full
     */
    int publishAll(List<TagValue> values);
}
