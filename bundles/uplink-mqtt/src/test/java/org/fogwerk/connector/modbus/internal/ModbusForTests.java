package org.fogwerk.connector.modbus.internal;

import java.util.HashMap;
import java.util.Map;

import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.osgi.util.converter.Converters;

/** Starts a Modbus connection as its component does, for tests of other modules. */
public final class ModbusForTests {

    private ModbusForTests() {
    }

    /** A running connection named {@code id}; close it to stop it. */
    public static Running start(String id, Map<String, Object> config, TagSink sink) {
        Map<String, Object> props = new HashMap<>(config);
        props.put("felix.fileinstall.filename", "file:/etc/" + ModbusSettings.PID + "-" + id + ".cfg");
        ModbusConnection c = ModbusConnectorComponent.create(
                Converters.standardConverter().convert(props).to(ModbusConfig.class), props, sink);
        c.start();
        return new Running(c);
    }

    /** A started connection. */
    public static final class Running implements AutoCloseable {
        private final ModbusConnection connection;

        Running(ModbusConnection connection) {
            this.connection = connection;
        }

        public Connector connector() {
            return connection;
        }

        @Override
        public void close() {
            connection.stop();
        }
    }
}
