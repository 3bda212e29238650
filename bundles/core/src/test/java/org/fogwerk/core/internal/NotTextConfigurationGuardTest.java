package org.fogwerk.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A singleton configuration file that is not text is refused: the configuration before it stays. */
class NotTextConfigurationGuardTest {

    @TempDir
    Path etc;

    /** Configurations by PID as Configuration Admin holds them; what the guard put back, by PID. */
    private final Map<String, Dictionary<String, Object>> putBack = new ConcurrentHashMap<>();
    private final FakeConfigurations fake = new FakeConfigurations(putBack::put);
    private final Map<String, Dictionary<String, Object>> configs = fake.properties;
    private final Map<String, String> factoryPids = fake.factoryPids;
    private NotTextConfigurationGuard guard;

    @AfterEach
    void stop() {
        if (guard != null) {
            guard.deactivate();
        }
    }

    /** The node's singleton PIDs, as shipped in etc/ (web and audit included: the guard needs no code of theirs). */
    @ParameterizedTest
    @ValueSource(strings = {"org.fogwerk.things", "org.fogwerk.security.writes", "org.fogwerk.audit",
        "org.fogwerk.web", "org.fogwerk.shadow", "org.fogwerk.core.bus", "org.fogwerk.camel", "org.fogwerk.update"})
    void aSingletonFileOfGarbageIsRefusedAndTheConfigurationBeforeItStays(String pid) throws Exception {
        Path file = etc.resolve(pid + ".cfg");
        String text = "# the plant's own words\nsome.key = ${fogwerk.node}-42\n";
        Files.writeString(file, text);
        configure(pid, file, "some.key", "node1-42");
        guard = new NotTextConfigurationGuard(fake.admin(), false);
        guard.check(pid);
        assertNull(putBack.get(pid), "a text file is left alone");

        Files.write(file, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, (byte) 0xff, '\n', 'x', '=', '1'});
        configure(pid, file, "\u007fELF\u0000\u0001\ufffd", "", "x", "1");
        guard.check(pid);
        assertEquals(text, Files.readString(file), "the file before the garbage is written back, comments and placeholders"
                + " as they were");
        assertNull(putBack.get(pid), "FileInstall reads the file again");
        try (Stream<Path> files = Files.list(etc)) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith(pid + ".cfg.refused-")).toList();
            assertEquals(1, aside.size(), "the refused file is kept");
            assertEquals(11, Files.size(aside.get(0)));
        }
        // FileInstall has read the good file again
        configure(pid, file, "some.key", "node1-42");
        guard.check(pid);
        assertNull(putBack.get(pid));
        assertEquals(text, Files.readString(file));
    }

    @Test
    void withoutTheTextBeforeTheConfigurationBeforeIsPutBack() throws Exception {
        String pid = "org.fogwerk.things";
        Path file = etc.resolve(pid + ".cfg");
        configure(pid, file, "some.key", "42"); // known to Configuration Admin, its file not read (gone meanwhile)
        guard = new NotTextConfigurationGuard(fake.admin(), false);
        guard.check(pid);

        Files.write(file, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, (byte) 0xff, '\n', 'x', '=', '1'});
        configure(pid, file, "\u007fELF\u0000\u0001\ufffd", "", "x", "1");
        guard.check(pid);
        Dictionary<String, Object> restored = putBack.get(pid);
        assertEquals("42", restored.get("some.key"), "the configuration before the garbage is put back");
        assertNull(restored.get("x"));
        // Configuration Admin now holds the good properties again while the file is not yet rewritten
        configs.put(pid, restored);
        putBack.clear();
        guard.check(pid);
        assertNull(putBack.get(pid), "put back once, no loop while FileInstall writes the file");
    }

    @Test
    void aFileBrokenBeforeStartHasNothingToKeepAndIsLeftAsItIs() throws Exception {
        Path file = etc.resolve("org.fogwerk.security.writes.cfg");
        Files.write(file, new byte[] {1, 2, 0, 3});
        configure("org.fogwerk.security.writes", file, "\u0001\u0002", "");
        guard = new NotTextConfigurationGuard(fake.admin(), false);
        guard.check("org.fogwerk.security.writes");
        assertNull(putBack.get("org.fogwerk.security.writes"));
    }

    @Test
    void factoryInstancesAreLeftToTheirComponents() throws Exception {
        String pid = "org.fogwerk.connector.modbus~line2";
        Path file = etc.resolve(pid + ".cfg");
        Files.writeString(file, "port = 502\n");
        configure(pid, file, "port", "502");
        factoryPids.put(pid, "org.fogwerk.connector.modbus");
        guard = new NotTextConfigurationGuard(fake.admin(), false);
        guard.check(pid);
        Files.write(file, new byte[] {0, 0, 0});
        configure(pid, file, "x", "");
        guard.check(pid);
        assertNull(putBack.get(pid));
        try (Stream<Path> files = Files.list(etc)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".refused-")));
        }
    }

    private void configure(String pid, Path file, String... kv) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("service.pid", pid);
        props.put("felix.fileinstall.filename", file.toUri().toString());
        for (int i = 0; i < kv.length; i += 2) {
            props.put(kv[i], kv[i + 1]);
        }
        configs.put(pid, props);
    }
}
