package org.fogwerk.connector.opcua.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTargetTest {

    @TempDir
    Path node;

    @Test
    void aRelativeCsvPathLandsInTheNodesFolder() throws Exception {
        Path home = node.toRealPath();
        assertEquals(home.resolve("etc/tags/press01.csv"), ExportCommand.target(node, "etc/tags/press01.csv"));
        assertEquals(home.resolve("etc/tags/press01.csv"), ExportCommand.target(node, home + "/etc/tags/press01.csv"));
    }

    @Test
    void aPathOutsideTheNodesFolderIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportCommand.target(node, "../elsewhere.csv"));
        assertTrue(e.getMessage().contains("not inside the node's folder"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExportCommand.target(node, "/tmp/tags.csv"));
        assertThrows(IllegalArgumentException.class, () -> ExportCommand.target(node, "etc/../../x.csv"));
    }

    @Test
    void onlyCsvFilesAreWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportCommand.target(node, "etc/org.fogwerk.connector.opcua-press01.cfg"));
        assertTrue(e.getMessage().contains(".csv"), e.getMessage());
    }

    @Test
    void aLinkOutOfTheNodesFolderIsRefused(@TempDir Path elsewhere) throws Exception {
        Files.createSymbolicLink(node.resolve("out"), elsewhere);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportCommand.target(node, "out/tags.csv"));
        assertTrue(e.getMessage().contains("leads out"), e.getMessage());
    }
}
