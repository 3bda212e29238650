package org.fogwerk.uplink.sparkplug.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.MqttUplinkComponent;
import org.fogwerk.uplink.mqtt.internal.ProfileDirectory;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** {@code profile = sparkplug} in an uplink file, as Configuration Admin hands it over. */
class ComponentProfileTest {

    @TempDir
    Path dir;

    private final List<Object> services = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> "karaf.data".equals(args[0]) ? dir.toString() : null;
                    case "registerService" -> {
                        services.add(args[1]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Uplink start(Object... kv) {
        Map<String, Object> props = TestSupport.map(kv);
        props.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-scada.cfg");
        ProfileDirectory profiles = new ProfileDirectory();
        profiles.addProfile(new SparkplugProfileService(), Map.of(UplinkProfile.PROFILE_PROPERTY, "sparkplug"));
        new MqttUplinkComponent(context(), TestSupport.config(props), props, profiles).activate();
        assertEquals(1, services.size());
        return (Uplink) services.get(0);
    }

    @Test
    void aSparkplugUplinkKeepsItsStateInTheProfileFolder() throws Exception {
        Uplink uplink = start("profile", "sparkplug", "broker.urls", "tcp://127.0.0.1:" + TestSupport.freePort(),
                "sparkplug.group.id", Nodes.group());
        try {
            assertTrue(uplink instanceof MqttUplink, uplink.status().lastError());
            assertTrue(Files.exists(dir.resolve("fogwerk/profile/scada/aliases.tsv")));
        } finally {
            ((MqttUplink) uplink).close();
        }
    }

    @Test
    void aBadSparkplugKeyFailsTheUplinkNamingFileAndKey() {
        Uplink uplink = start("profile", "sparkplug", "broker.urls", "tcp://127.0.0.1:1883", "sparkplug.edge.node.id", "line#2");
        assertEquals(UplinkState.FAILED, uplink.status().state());
        String reason = uplink.status().lastError();
        assertTrue(reason.contains("org.fogwerk.uplink.mqtt-scada.cfg") && reason.contains("sparkplug.edge.node.id")
                && reason.contains("must not contain #"), reason);
    }
}
