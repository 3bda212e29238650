package org.fogwerk.uplink.sparkplug.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.fogwerk.uplink.mqtt.internal.EngineContext;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;
import org.junit.jupiter.api.Test;

/** Every sparkplug.* key is checked, and a bad one is named. */
class SettingsTest {

    static SparkplugSettings settings(Object... kv) throws InvalidConfigurationException {
        Map<String, Object> m = new HashMap<>(TestSupport.map("profile", "sparkplug"));
        m.putAll(TestSupport.map(kv));
        return new SparkplugSettings(EngineContext.configurationOf(TestSupport.config(m)), "node1");
    }

    @Test
    void idsMustBeTopicLevels() {
        for (String bad : new String[] {"a/b", "a+", "#", " "}) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> settings("sparkplug.group.id", bad));
            assertEquals("sparkplug.group.id", e.key(), bad);
        }
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> settings("sparkplug.edge.node.id", "line/2"));
        assertEquals("sparkplug.edge.node.id", e.key());
        assertTrue(e.getMessage().contains("must not contain /"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class, () -> settings("sparkplug.primary.host.id", "scada+1"));
        assertEquals("sparkplug.primary.host.id", e.key());
        e = assertThrows(InvalidConfigurationException.class, () -> settings("sparkplug.device.check.ms", 5));
        assertEquals("sparkplug.device.check.ms", e.key());
        assertTrue(e.getMessage().contains("100..600000"), e.getMessage());
    }

    @Test
    void theEdgeNodeIsTheNodeUnlessConfiguredAndTopicsFollow() throws InvalidConfigurationException {
        SparkplugSettings s = settings();
        assertEquals("spBv1.0/fogwerk/NBIRTH/node1", s.nbirth);
        assertEquals("spBv1.0/fogwerk/NDEATH/node1", s.ndeath);
        assertEquals("spBv1.0/fogwerk/NCMD/node1", s.ncmd);
        assertEquals("spBv1.0/fogwerk/DCMD/node1/+", s.dcmdFilter);
        assertEquals("spBv1.0/fogwerk/DDATA/node1/press01", s.deviceTopic("DDATA", "press01"));
        assertEquals(null, s.state);
        assertEquals("spBv1.0/STATE/scada", settings("sparkplug.primary.host.id", "scada").state);
        assertEquals("a_b", SparkplugSettings.deviceId("a/b"));
    }

    @Test
    void theSampleConfigurationWorks() throws Exception {
        Path sample = Path.of("../../config/samples/org.fogwerk.uplink.mqtt-sparkplug.cfg");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(sample)) {
            p.load(in);
        }
        Map<String, Object> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        UplinkSettings u = UplinkSettings.of(TestSupport.config(m), "sparkplug", "node1");
        SparkplugSettings s = new SparkplugSettings(EngineContext.configurationOf(TestSupport.config(m)), u.node);
        assertEquals("sparkplug", TestSupport.config(m).profile());
        assertEquals("spBv1.0/plant1/NBIRTH/line2", s.nbirth);
        assertEquals("", s.primaryHost);
        assertEquals(1, u.qos);
    }
}
