package org.fogwerk.connector.modbus.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.testing.Configs;

/** Builds typed configurations as Configuration Admin would. */
final class TestConfigs {

    private TestConfigs() {
    }

    static ModbusConfig config(Object... keysAndValues) {
        return Configs.typed(ModbusConfig.class, keysAndValues);
    }

    static ModbusSettings settings(Object... keysAndValues) throws InvalidConfigurationException {
        return ModbusSettings.read(config(keysAndValues), "/etc/org.fogwerk.connector.modbus-test.cfg", null);
    }
}
