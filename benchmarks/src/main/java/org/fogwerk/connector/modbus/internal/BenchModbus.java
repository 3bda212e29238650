package org.fogwerk.connector.modbus.internal;

import java.util.HashMap;
import java.util.Map;

import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.osgi.util.converter.Converters;

/** Opens a real Modbus TCP connection from a configuration map, as its component would, for the benchmarks. */
public final class BenchModbus {

    private BenchModbus() {
    }

    /** A started connection named {@code name}. */
    public static Connector open(String name, Map<String, Object> config, TagSink sink) {
        Map<String, Object> props = new HashMap<>(config);
        props.put("felix.fileinstall.filename", "etc/org.fogwerk.connector.modbus-" + name + ".cfg");
        ModbusConnection c = ModbusConnectorComponent.create(
                Converters.standardConverter().convert(config).to(ModbusConfig.class), props, sink);
        c.start();
        return c;
    }

    public static void close(Connector c) {
        ((ModbusConnection) c).stop();
    }
}
