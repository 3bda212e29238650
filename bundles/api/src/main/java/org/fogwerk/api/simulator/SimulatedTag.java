package org.fogwerk.api.simulator;

import org.fogwerk.api.DataType;

/**
 * One tag of a simulated machine.
 *
 * @param name     the tag name
 * @param address  where a client finds it: an OPC UA node id, or a Modbus area and 0-based address
 * @param dataType its type
 * @param pattern  how it changes: sine, ramp, random, counter, state, or setpoint for writable tags
 * @param writable whether a client may write it (the value is kept and read back)
 */
public record SimulatedTag(String name, String address, DataType dataType, String pattern, boolean writable) {
}
