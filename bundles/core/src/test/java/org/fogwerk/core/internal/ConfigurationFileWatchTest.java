package org.fogwerk.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationFileWatchTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path home;

    /** Configurations by PID, and how often each was updated (a reload of its instance). */
    private final Map<String, AtomicInteger> reloads = new ConcurrentHashMap<>();
    private final FakeConfigurations fake = new FakeConfigurations((pid, props) -> reloads.get(pid).incrementAndGet());
    private final Map<String, Dictionary<String, Object>> configs = fake.properties;
    private ConfigurationFileWatch watch;

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.deactivate();
        }
    }

    private void configure(String pid, Object... kv) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.pid", pid);
        props.put("felix.fileinstall.filename", "file:" + home.resolve("etc/" + pid + ".cfg"));
        for (int i = 0; i < kv.length; i += 2) {
            props.put((String) kv[i], kv[i + 1]);
        }
        configs.put(pid, props);
        reloads.put(pid, new AtomicInteger());
    }

    @Test
    void anEditedTagFileReloadsOnlyTheInstanceThatNamesIt() throws Exception {
        Files.createDirectories(home.resolve("etc/tags"));
        Files.writeString(home.resolve("etc/tags/line2.csv"), "a,,holding,0,int16\n");
        Files.writeString(home.resolve("etc/tags/press01.csv"), "speed,ns=2;s=speed\n");
        configure("org.fogwerk.connector.modbus~line2", "tags.file", "etc/tags/line2.csv", "port", 502);
        configure("org.fogwerk.connector.opcua~press01", "tags.file", "etc/tags/press01.csv");
        configure("org.fogwerk.core.bus", "connection.capacity", 100);
        watch = new ConfigurationFileWatch(fake.admin(), home, 100);
        await().pollDelay(Duration.ofMillis(400)).atMost(WAIT).until(() -> true);

        Files.writeString(home.resolve("etc/tags/line2.csv"), "a,,holding,0,int16\nb,,holding,1,int16\n");
        await().atMost(WAIT).until(() -> reloads.get("org.fogwerk.connector.modbus~line2").get() == 1);
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> reloads.get("org.fogwerk.connector.modbus~line2").get() == 1);
        assertEquals(0, reloads.get("org.fogwerk.connector.opcua~press01").get());
        assertEquals(0, reloads.get("org.fogwerk.core.bus").get());
    }

    @Test
    void aCertificateThatAppearsAfterDoesNotExistIsPickedUp() throws Exception {
        Path ca = home.resolve("etc/tls/ca.pem");
        configure("org.fogwerk.uplink.mqtt~cloud", "tls.ca.file", ca.toString(), "tls.cert.file", "etc/tls/node.pem");
        watch = new ConfigurationFileWatch(fake.admin(), home, 100);
        await().pollDelay(Duration.ofMillis(400)).atMost(WAIT).until(() -> true);
        assertEquals(0, reloads.get("org.fogwerk.uplink.mqtt~cloud").get());

        Files.createDirectories(ca.getParent());
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");
        await().atMost(WAIT).until(() -> reloads.get("org.fogwerk.uplink.mqtt~cloud").get() == 1);
        Files.writeString(home.resolve("etc/tls/node.pem"), "-----BEGIN CERTIFICATE-----\n");
        await().atMost(WAIT).until(() -> reloads.get("org.fogwerk.uplink.mqtt~cloud").get() == 2);
    }
}
