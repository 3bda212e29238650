package org.fogwerk.api.connector;

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
 */
public record ConnectorInfo(String id, String protocol, ConnectorStatus status, int tagCount, long valuesIn,
        long valuesDropped, double valuesPerSecond) {
}
