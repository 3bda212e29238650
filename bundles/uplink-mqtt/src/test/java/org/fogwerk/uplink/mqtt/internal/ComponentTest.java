package org.fogwerk.uplink.mqtt.internal;

import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The DS component: service registration, data directory, bad files. */
class ComponentTest {

    @TempDir
    Path dir;

    private final List<Object[]> registered = new ArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperty":
                            return "karaf.data".equals(args[0]) ? dir.toString() : null;
                        case "registerService":
                            registered.add(args);
                            return Proxy.newProxyInstance(getClass().getClassLoader(),
                                    new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void goodFileRegistersUplinkAndListenerWithItsName() throws Exception {
        Map<String, Object> props = map("broker.urls", "tcp://127.0.0.1:1883", "felix.fileinstall.filename",
                "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-local.cfg");
        MqttUplinkComponent c = new MqttUplinkComponent(context(), TestSupport.config(props), props);
        try {
            assertEquals(1, registered.size());
            String[] classes = (String[]) registered.get(0)[0];
            assertEquals(List.of(Uplink.class.getName(), TagListener.class.getName()), List.of(classes));
            Dictionary<?, ?> serviceProps = (Dictionary<?, ?>) registered.get(0)[2];
            assertEquals("local", serviceProps.get(Uplink.NAME_PROPERTY));
            assertEquals("local", ((Uplink) registered.get(0)[1]).name());
            assertTrue(Files.exists(dir.resolve("fogwerk/outbox/local/outbox.mv")));
        } finally {
            c.deactivate();
        }
    }

    @Test
    void badFileRegistersAFailedUplinkNamingFileKeyAndReason() {
        Map<String, Object> props = map("topic.template", "fogwerk/{plant}/{tag}", "felix.fileinstall.filename",
                "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-cloud.cfg");
        MqttUplinkComponent c = new MqttUplinkComponent(context(), TestSupport.config(props), props);
        try {
            assertEquals(1, registered.size());
            assertEquals(Uplink.class, registered.get(0)[0]);
            Uplink failed = (Uplink) registered.get(0)[1];
            assertEquals(UplinkState.FAILED, failed.status().state());
            String reason = failed.status().lastError();
            assertTrue(reason.contains("org.fogwerk.uplink.mqtt-cloud.cfg") && reason.contains("topic.template")
                    && reason.contains("unknown placeholder {plant}"), reason);
            assertTrue(failed.submit(List.of()).toCompletableFuture().isCompletedExceptionally());
        } finally {
            c.deactivate();
        }
    }
}
