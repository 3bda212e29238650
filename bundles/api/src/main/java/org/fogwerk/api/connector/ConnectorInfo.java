package org.fogwerk.api.connector;

import java.util.Map;

/**
 * A snapshot of one configured connection, as the registry sees it.
 *
 * @param id             the connection id (the name of its configuration)
 * @param protocol       opcua, modbus ...
 * @param status         its current status
 * @param tagCount       how many tags it is configured with
 * @param valuesIn       values it published to the bus since it started
 * @param valuesDropped  values the bus could not take from it (its queue was full)
 * @param valuesPerSecond values published per second, over the last few seconds
 * @param droppedByConsumer values of this connection that consumers of the bus (uplinks, routes, reported
 *                       state ...) lost because their queue was full, by consumer; only consumers that lost some
 */
public record ConnectorInfo(String id, String protocol, ConnectorStatus status, int tagCount, long valuesIn,
        long valuesDropped, double valuesPerSecond, Map<String, Long> droppedByConsumer) {

    public ConnectorInfo {
        droppedByConsumer = droppedByConsumer == null ? Map.of() : Map.copyOf(droppedByConsumer);
    }

    /** A connection whose values no consumer lost. */
    public ConnectorInfo(String id, String protocol, ConnectorStatus status, int tagCount, long valuesIn,
            long valuesDropped, double valuesPerSecond) {
        this(id, protocol, status, tagCount, valuesIn, valuesDropped, valuesPerSecond, Map.of());
    }

    /** Values of this connection lost anywhere on the bus: its own queue and every consumer's. */
    public long droppedTotal() {
        long total = valuesDropped;
        for (long n : droppedByConsumer.values()) {
            total += n;
        }
        return total;
    }
}
