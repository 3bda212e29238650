package org.fogwerk.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A .cfg file that is not text is refused, naming the file; a text file passes. */
class ConfigurationFileTest {

    @TempDir
    Path dir;

    private Map<String, Object> from(Path file) {
        return Map.of("felix.fileinstall.filename", file.toUri().toString());
    }

    @Test
    void textFilePasses() throws Exception {
        Path f = Files.writeString(dir.resolve("org.fogwerk.uplink.mqtt-cloud.cfg"),
                "broker.urls = tcp://broker:1883\n# Prüfstand\n", StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), ConfigurationFile.notText(from(f)));
    }

    @Test
    void nulByteIsRefusedNamingFileAndOffset() throws Exception {
        Path f = Files.write(dir.resolve("org.fogwerk.uplink.mqtt-junk.cfg"), new byte[] {'a', '=', 'b', 0, 1, 2});
        String reason = ConfigurationFile.notText(from(f)).orElseThrow();
        assertTrue(reason.contains(f.toString()) && reason.contains("not a text file")
                && reason.contains("offset 3"), reason);
    }

    @Test
    void invalidUtf8IsRefusedNamingFileAndOffset() throws Exception {
        Path f = Files.write(dir.resolve("org.fogwerk.connector.modbus-x.cfg"),
                new byte[] {'h', 'o', 's', 't', '=', (byte) 0xC3, (byte) 0x28, '\n'});
        String reason = ConfigurationFile.notText(from(f)).orElseThrow();
        assertTrue(reason.contains(f.toString()) && reason.contains("offset 5") && reason.contains("UTF-8"), reason);
    }

    @Test
    void plainPathAndMissingFileAndNoFile() throws Exception {
        Path f = Files.write(dir.resolve("a.cfg"), new byte[] {0});
        assertTrue(ConfigurationFile.notText(Map.of("felix.fileinstall.filename", f.toString())).isPresent());
        assertEquals(Optional.empty(), ConfigurationFile.notText(from(dir.resolve("gone.cfg"))));
        assertEquals(Optional.empty(), ConfigurationFile.notText(Map.of("service.pid", "x")));
    }

    @Test
    void aFileIsNamedAsUsersNameItUnderTheNodesHome(@TempDir Path home) {
        String before = System.getProperty("karaf.base");
        System.setProperty("karaf.base", home.toString());
        try {
            Path inside = home.resolve("etc/org.fogwerk.uplink.mqtt-local.cfg");
            assertEquals(Optional.of("etc/org.fogwerk.uplink.mqtt-local.cfg"),
                    ConfigurationFile.shown(Map.of("felix.fileinstall.filename", inside.toUri().toString())));
            assertEquals(Optional.of("/elsewhere/x.cfg"),
                    ConfigurationFile.shown(Map.of("felix.fileinstall.filename", "/elsewhere/x.cfg")));
            assertEquals(Optional.empty(), ConfigurationFile.shown(Map.of()));
        } finally {
            if (before == null) {
                System.clearProperty("karaf.base");
            } else {
                System.setProperty("karaf.base", before);
            }
        }
    }
}
