package org.fogwerk.api.simulator;

import java.time.Instant;

/**
 * A simulator's state.
 *
 * @param protocol       opcua or modbus
 * @param running        whether it is serving
 * @param endpoint       where clients reach it, for example {@code opc.tcp://127.0.0.1:4840/fogwerk}
 * @param tagCount       how many tags it serves
 * @param updateInterval milliseconds between value changes
 * @param updates        update cycles run since start
 * @param writes         writes received from clients since start
 * @param error          why it is not running, empty when it is
 * @param since          when it started or failed
 */
public record SimulatorStatus(String protocol, boolean running, String endpoint, int tagCount, long updateInterval,
        long updates, long writes, String error, Instant since) {
}
