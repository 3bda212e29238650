package org.fogwerk.simulator.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import org.osgi.util.converter.Converters;

/** Typed configurations as SCR would build them from a cfg file, and free ports. */
final class TestConfigs {

    private TestConfigs() {
    }

    static OpcUaSimulatorConfig opcUa(Object... keysAndValues) {
        return Converters.standardConverter().convert(map(keysAndValues)).to(OpcUaSimulatorConfig.class);
    }

    static ModbusSimulatorConfig modbus(Object... keysAndValues) {
        return Converters.standardConverter().convert(map(keysAndValues)).to(ModbusSimulatorConfig.class);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
