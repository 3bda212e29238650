package org.fogwerk.connector.opcua.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.ShellConsole;
import org.fogwerk.testing.Users;
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
    void anExistingFileIsReplacedOnlyWhenAskedFor() throws Exception {
        Path list = Files.createDirectories(node.resolve("etc/tags")).resolve("line2.csv");
        ExportCommand.checkNew(list, false);
        Files.writeString(list, "speed,,holding,0,int16\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExportCommand.checkNew(list, false));
        assertTrue(e.getMessage().contains("exists (it may be a connection's tag list)") && e.getMessage().contains("--replace"),
                e.getMessage());
        ExportCommand.checkNew(list, true);
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

    @Test
    void theExportIsForAdministratorsAndEveryAttemptIsOnRecord() {
        MemoryAuditTrail trail = new MemoryAuditTrail();
        ExportCommand export = new ExportCommand();
        export.audit = trail;
        export.connection = "press01";
        export.nodeId = "ns=2;s=Machine";
        export.file = "../elsewhere.csv";
        CommandException refused = assertThrows(CommandException.class,
                () -> Users.operator(() -> new ShellConsole().run(export)));
        assertEquals("this needs the role admin; user 'olga' has the roles operator, viewer", refused.getMessage());
        CommandException failed = assertThrows(CommandException.class,
                () -> Users.as("anna", List.of("admin"), () -> new ShellConsole().run(export)));
        assertTrue(failed.getMessage().contains("not inside the node's folder"), failed.getMessage());
        assertEquals(List.of(
                new AuditEvent("config", "shell", "olga", "", "../elsewhere.csv", "export of ns=2;s=Machine from press01",
                        "denied", refused.getMessage()),
                new AuditEvent("config", "shell", "anna", "", "../elsewhere.csv", "export of ns=2;s=Machine from press01",
                        "failed", failed.getMessage())), trail.events());
    }
}
