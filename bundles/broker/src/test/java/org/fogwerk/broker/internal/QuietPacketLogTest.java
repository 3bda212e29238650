package org.fogwerk.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class QuietPacketLogTest {

    /** The logging configuration as Configuration Admin holds it; {@code updated} gets what is written back. */
    private static ConfigurationAdmin admin(Dictionary<String, Object> current,
            AtomicReference<Dictionary<String, Object>> updated) {
        Configuration logging = (Configuration) Proxy.newProxyInstance(QuietPacketLogTest.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> current == null ? null : new Hashtable<>(toMap(current));
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        updated.set(d);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(QuietPacketLogTest.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration") && QuietPacketLog.LOGGING_PID.equals(args[0])) {
                        return logging;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static java.util.Map<String, Object> toMap(Dictionary<String, Object> d) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        for (var keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }

    @Test
    void thePacketLoggerIsSetToWarnWhenNoLevelIsConfigured() {
        Hashtable<String, Object> current = new Hashtable<>();
        current.put("log4j2.rootLogger.level", "INFO");
        AtomicReference<Dictionary<String, Object>> updated = new AtomicReference<>();
        new QuietPacketLog(admin(current, updated));
        assertEquals("WARN", updated.get().get(QuietPacketLog.LEVEL_KEY));
        assertEquals(QuietPacketLog.PACKET_LOGGER, updated.get().get(QuietPacketLog.NAME_KEY));
        assertEquals("INFO", updated.get().get("log4j2.rootLogger.level"), "the rest stays");
    }

    @Test
    void aLevelSetByTheUserStays() {
        Hashtable<String, Object> current = new Hashtable<>();
        current.put("log4j2.logger.io_moquette_broker_metrics_mqttmessagelogger.name", QuietPacketLog.PACKET_LOGGER);
        current.put("log4j2.logger.io_moquette_broker_metrics_mqttmessagelogger.level", "INFO");
        AtomicReference<Dictionary<String, Object>> updated = new AtomicReference<>();
        new QuietPacketLog(admin(current, updated));
        assertNull(updated.get(), "log:set INFO for the packet logger is kept");
    }
}
