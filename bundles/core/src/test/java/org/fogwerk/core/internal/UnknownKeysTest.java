package org.fogwerk.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;

class UnknownKeysTest {

    private static final Set<String> MODBUS = Set.of("name", "host", "port", "poll.interval", "poll.groups", "tags",
            "tags.file", "timeout", "reconnect.min", "reconnect.max");

    /** A configuration as Configuration Admin hands it out: only what the warning reads. */
    private static Configuration configuration(String pid, String factoryPid, Map<String, Object> properties) {
        Dictionary<String, Object> props = new Hashtable<>(properties);
        return (Configuration) Proxy.newProxyInstance(Configuration.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getProperties": return props;
                        case "getPid": return pid;
                        case "getFactoryPid": return factoryPid;
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void aMisspeltKeyIsNamedWithTheFileAndTheNearestKnownKey() {
        UnknownKeyWarning warning = new UnknownKeyWarning(null,
                pid -> pid.equals("org.fogwerk.connector.modbus") ? Optional.of(MODBUS) : Optional.empty(),
                pid -> List.of());
        Configuration c = configuration("org.fogwerk.connector.modbus~line2", "org.fogwerk.connector.modbus",
                Map.of("host", "10.0.0.5", "poll.intervall", 200, "tags.file", "etc/tags/line2.csv",
                        "felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.connector.modbus-line2.cfg",
                        "service.pid", "org.fogwerk.connector.modbus~line2",
                        "service.factoryPid", "org.fogwerk.connector.modbus", "colour", "blue"));
        assertEquals(List.of("/opt/fogwerk/etc/org.fogwerk.connector.modbus-line2.cfg: unknown key 'colour' is "
                + "ignored; the known keys: config:meta org.fogwerk.connector.modbus",
                "/opt/fogwerk/etc/org.fogwerk.connector.modbus-line2.cfg: unknown key 'poll.intervall' is ignored; "
                + "did you mean 'poll.interval'?"), warning.warningsFor(c));
    }

    @Test
    void keysFromAFileOfBinaryGarbageAreLeftToTheComponentThatRefusesIt(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("org.fogwerk.connector.modbus-junk.cfg"),
                new byte[] {'h', 0, (byte) 0x9f, '=', '1'});
        UnknownKeyWarning warning = new UnknownKeyWarning(null, pid -> Optional.of(MODBUS), pid -> List.of());
        Map<String, Object> props = Map.of("h\u0000\u009f", "1", "felix.fileinstall.filename", file.toUri().toString());
        assertEquals(List.of(), warning.warningsFor(configuration("org.fogwerk.connector.modbus~junk",
                "org.fogwerk.connector.modbus", props)));
        java.nio.file.Files.writeString(file, "h = 1\n");
        assertEquals(1, warning.warningsFor(configuration("org.fogwerk.connector.modbus~junk",
                "org.fogwerk.connector.modbus", props)).size(), "the same keys from a text file are warned");
    }

    @Test
    void openPrefixesAndConfigurationsWithoutMetatypeAreLeftAlone() {
        UnknownKeyWarning warning = new UnknownKeyWarning(null,
                pid -> pid.equals("org.fogwerk.thing") ? Optional.of(Set.of("name", "type", "shadow")) : Optional.empty(),
                pid -> pid.equals("org.fogwerk.thing") ? List.of("map.", "attribute.") : List.of("*"));
        assertEquals(List.of(), warning.warningsFor(configuration("org.fogwerk.thing~p", "org.fogwerk.thing",
                Map.of("type", "press", "map.speed", "press01/speed", "attribute.line", "2"))));
        assertEquals(List.of("org.fogwerk.thing~p: unknown key 'tpye' is ignored; did you mean 'type'?"),
                warning.warningsFor(configuration("org.fogwerk.thing~p", "org.fogwerk.thing", Map.of("tpye", "press"))));
        assertEquals(List.of(), warning.warningsFor(configuration("org.fogwerk.other", null, Map.of("x", 1))));
    }

    @Test
    void nearestKeyOnlyWhenItIsCloseEnoughToBeASlip() {
        assertEquals(Optional.of("poll.interval"), UnknownKeys.nearest("poll.intervall", MODBUS));
        assertEquals(Optional.of("reconnect.max"), UnknownKeys.nearest("reconect.max", MODBUS));
        assertEquals(Optional.of("host"), UnknownKeys.nearest("Host", MODBUS));
        assertEquals(Optional.empty(), UnknownKeys.nearest("colour", MODBUS));
        assertEquals(3, UnknownKeys.distance("kitten", "sitting"));
    }
}
