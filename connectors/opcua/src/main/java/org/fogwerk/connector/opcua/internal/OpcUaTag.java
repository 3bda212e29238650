package org.fogwerk.connector.opcua.internal;

import org.fogwerk.api.TagDefinition;

/**
 * A configured tag with its OPC UA monitoring settings.
 *
 * @param definition       the tag as the rest of the node sees it (address = node id text)
 * @param samplingInterval ms, or {@code null} for the connection default
 * @param deadband         deadband value, or {@code null} for the connection default
 */
record OpcUaTag(TagDefinition definition, Double samplingInterval, Double deadband) {

    String name() {
        return definition.name();
    }

    String nodeId() {
        return definition.address();
    }
}
