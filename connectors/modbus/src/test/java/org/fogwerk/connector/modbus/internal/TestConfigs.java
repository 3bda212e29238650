package org.fogwerk.connector.modbus.internal;

import java.util.HashMap;
import java.util.Map;

import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.util.converter.Converters;

/** Builds typed configurations as Configuration Admin would. */
final class TestConfigs {

    private TestConfigs() {
    }

    static ModbusConfig config(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Converters.standardConverter().convert(map).to(ModbusConfig.class);
    }

    static ModbusSettings settings(Object... keysAndValues) throws InvalidConfigurationException {
        return ModbusSettings.read(config(keysAndValues), "/etc/org.fogwerk.connector.modbus-test.cfg", null);
    }
}
