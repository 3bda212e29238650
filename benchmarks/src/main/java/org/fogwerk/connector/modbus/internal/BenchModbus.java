package org.fogwerk.connector.modbus.internal;

import java.util.Map;

import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.connector.modbus.standalone.StandaloneModbus;

/** A real Modbus TCP connection from a configuration map, for the benchmarks that still open it by this name. */
public final class BenchModbus {

    private BenchModbus() {
    }

    public static Connector open(String name, Map<String, Object> config, TagSink sink) {
        return StandaloneModbus.open(name, config, sink);
    }

    public static void close(Connector c) {
        StandaloneModbus.close(c);
    }
}
