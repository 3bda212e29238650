package org.fogwerk.update.internal.shell;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
import org.fogwerk.testing.Gate;
import org.fogwerk.testing.Users;
import org.fogwerk.update.internal.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command prints how an order went, and an order that did not get done fails the command
 * after its lines: the shell's batch mode ({@code bin/client -b}) then exits with a status other than 0.
 */
class NodeUpdateCommandTest {

    private static final String MODBUS = "fogwerk-connector-modbus";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private TestNode node;

    @BeforeEach
    void start() throws Exception {
        node = new TestNode(dir, Duration.ofSeconds(5), 3600).start().install(MODBUS, "1.0.0");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> node.reported("features") instanceof Map);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void anUpdateThatIsDoneEndsTheCommandWell() throws Exception {
        node.offer(MODBUS, "1.1.0");

        assertNull(run(MODBUS, "1.1.0"));

        String out = printed();
        assertTrue(out.contains("Ordered " + MODBUS + " 1.1.0 in the shadow hall3/fogwerk-node"), out);
        assertTrue(out.contains(MODBUS + " 1.0.0 -> 1.1.0: done (0 s, ordered by shell admin)"), out);
    }

    @Test
    void anUpdateKarafCannotInstallFailsTheCommandAfterItsLines() {
        CommandException e = assertThrows(CommandException.class, () -> run(MODBUS, "9.9.7"));

        String out = printed();
        assertTrue(out.contains(MODBUS + " 1.0.0 -> 9.9.7: failed (0 s, ordered by shell admin): Karaf cannot install "
                + "it: no feature " + MODBUS + " 9.9.7 in the node's features repositories"), out);
        assertEquals(MODBUS + " 9.9.7: failed", e.getMessage());
        assertTrue(e.getNiceHelp().contains("Error executing command fogwerk:node-update: " + MODBUS + " 9.9.7: failed"),
                e.getNiceHelp());
        assertEquals("1.0.0", node.installed(MODBUS));
    }

    @Test
    void anUpdateRolledBackFailsTheCommandAfterItsLines() {
        // the new version's bundle is nowhere to be found: it does not come up within the time limit
        node.offer(MODBUS, "2.0.0", dir.resolve("missing.jar").toUri().toString());

        CommandException e = assertThrows(CommandException.class, () -> run(MODBUS, "2.0.0"));

        String out = printed();
        assertTrue(out.contains(MODBUS + " 1.0.0 -> 2.0.0: failed (") && out.contains("not healthy within 1 s")
                && out.contains("; rolled back to 1.0.0"), out);
        assertEquals(MODBUS + " 2.0.0: failed, rolled back to 1.0.0", e.getMessage());
        assertEquals("1.0.0", node.installed(MODBUS));
        assertEquals(List.of("install " + MODBUS + " 2.0.0", "install " + MODBUS + " 1.0.0"), node.deployments());
    }

    @Test
    void anUpdateNotFinishedWhileTheCommandFollowsItFailsTheCommand() throws Exception {
        node.offer(MODBUS, "1.1.0");
        Gate karaf = Gate.closed(30);
        node.holdInstalls(karaf);
        NodeUpdateCommand command = command(MODBUS, "1.1.0");
        command.waitSeconds = 1;
        try {
            CommandException e = assertThrows(CommandException.class, () -> runCaught(command));

            String out = printed();
            assertTrue(out.contains(MODBUS + " 1.0.0 -> 1.1.0: updating") && out.contains("Still not finished after 1 s: "
                    + "fogwerk:node-status shows how it goes"), out);
            assertEquals(MODBUS + " 1.1.0: not finished within 1 s", e.getMessage());
        } finally {
            karaf.open();
        }
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "done".equals(node.reported("updates."
                + MODBUS + ".state")));
    }

    @Test
    void aRemovalEndsTheCommandWellOrFailsIt() throws Exception {
        node.install("fogwerk-camel-jdbc", "1.0.0").installPart("fogwerk-camel", "1.0.0");

        assertNull(runCaught(removal("fogwerk-camel-jdbc")));
        CommandException e = assertThrows(CommandException.class, () -> runCaught(removal("fogwerk-camel")));

        String out = printed();
        assertTrue(out.contains("remove fogwerk-camel-jdbc 1.0.0: done"), out);
        assertTrue(out.contains("remove fogwerk-camel 1.0.0: failed (0 s, ordered by shell admin): Karaf cannot remove "
                + "it: fogwerk-camel 1.0.0 is installed as part of another feature"), out);
        assertEquals("removal of fogwerk-camel: failed", e.getMessage());
        assertNull(node.installed("fogwerk-camel-jdbc"));
        assertEquals("1.0.0", node.installed("fogwerk-camel"));
    }

    @Test
    void anOrderForAFeatureNotFogwerksIsRefusedByTheCommandAndNothingIsInstalled() throws Exception {
        node.offer("obr", "4.4.10").install("kar", "4.4.10");

        CommandException install = assertThrows(CommandException.class, () -> run("obr", "4.4.10"));
        CommandException removal = assertThrows(CommandException.class, () -> runCaught(removal("kar")));

        assertEquals("refused (400): obr is not a Fogwerk feature: only fogwerk features (names starting with "
                + "\"fogwerk\") can be ordered", install.getMessage());
        assertTrue(removal.getMessage().startsWith("refused (400): kar is not a Fogwerk feature"), removal.getMessage());
        assertEquals(List.of(), node.deployments());
        assertEquals("4.4.10", node.installed("kar"));
        assertEquals(2, node.refusals().size(), node.refusals().toString());
        assertEquals("", printed());
    }

    @Test
    void anOrderWithoutVersionOrWithABadWaitFailsTheCommandSoABatchScriptSeesIt() {
        CommandException neither = assertThrows(CommandException.class, () -> runCaught(command(MODBUS, null)));
        assertTrue(neither.getMessage().startsWith("give either a version or --remove"), neither.getMessage());
        NodeUpdateCommand badWait = command(MODBUS, "1.1.0");
        badWait.waitSeconds = -1;
        CommandException wait = assertThrows(CommandException.class, () -> runCaught(badWait));
        assertEquals("--wait -1: give seconds, 1 or more", wait.getMessage());
        assertEquals(List.of(), node.deployments());
    }

    private Object run(String feature, String version) throws Exception {
        return runCaught(command(feature, version));
    }

    private NodeUpdateCommand command(String feature, String version) {
        NodeUpdateCommand command = new NodeUpdateCommand();
        command.updates = node.updater();
        command.feature = feature;
        command.version = version;
        return command;
    }

    private NodeUpdateCommand removal(String feature) {
        NodeUpdateCommand command = command(feature, null);
        command.remove = true;
        return command;
    }

    /** Runs the command as the shell's admin, with its standard output caught. */
    private Object runCaught(NodeUpdateCommand command) throws Exception {
        PrintStream standard = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            return Users.as("admin", List.of("admin"), command::execute);
        } finally {
            System.setOut(standard);
        }
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
