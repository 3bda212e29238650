package org.fogwerk.uplink.mqtt.internal.sparkplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.fogwerk.uplink.mqtt.internal.ConfigException;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;
import org.junit.jupiter.api.Test;

/** Every sparkplug.* key is checked, and a bad one is named. */
class SettingsTest {

    static SparkplugSettings settings(Object... kv) throws ConfigException {
        Map<String, Object> m = new HashMap<>(TestSupport.map("profile", "sparkplug"));
        m.putAll(TestSupport.map(kv));
        return new SparkplugSettings(TestSupport.config(m), "node1");
    }

    @Test
    void idsMustBeTopicLevels() {
        for (String bad : new String[] {"a/b", "a+", "#", " "}) {
            ConfigException e = assertThrows(ConfigException.class, () -> settings("sparkplug.group.id", bad));
            assertEquals("sparkplug.group.id", e.key(), bad);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> settings("sparkplug.edge.node.id", "line/2"));
        assertEquals("sparkplug.edge.node.id", e.key());
        assertTrue(e.getMessage().contains("must not contain /"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> settings("sparkplug.primary.host.id", "scada+1"));
        assertEquals("sparkplug.primary.host.id", e.key());
        e = assertThrows(ConfigException.class, () -> settings("sparkplug.device.check.ms", 5));
        assertEquals("sparkplug.device.check.ms", e.key());
        assertTrue(e.getMessage().contains("100..600000"), e.getMessage());
    }

    @Test
    void theEdgeNodeIsTheNodeUnlessConfiguredAndTopicsFollow() throws ConfigException {
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
        SparkplugSettings s = new SparkplugSettings(TestSupport.config(m), u.node);
        assertEquals("sparkplug", TestSupport.config(m).profile());
        assertEquals("spBv1.0/plant1/NBIRTH/line2", s.nbirth);
        assertEquals("", s.primaryHost);
        assertEquals(1, u.qos);
    }
}
