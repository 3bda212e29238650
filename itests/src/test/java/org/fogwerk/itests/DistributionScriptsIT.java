package org.fogwerk.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Unpacks the built distribution and runs it the way an integrator does: {@code bin/start},
 * commands through {@code bin/client} with the shipped administrator account, {@code bin/stop}.
 * Only the ports are moved, so the test can run beside a live node.
 */
public class DistributionScriptsIT {

    private static UnpackedNode node;
    private static Path home;
    private static int sshPort;
    private static long bootMillis;
    private static String firstStartLog;

    @BeforeClass
    public static void startNode() throws Exception {
        node = UnpackedNode.unpack(Paths.get("target", "dist-it").toAbsolutePath());
        home = node.home;
        sshPort = node.sshPort;

        long start = System.nanoTime();
        node.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client("fogwerk:sim-status").lines().filter(l -> l.contains(" running ")).count() == 2);
        bootMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // both connections up: everything the first start logs is in by now
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client("fogwerk:connector-list").lines().filter(l -> l.contains(" CONNECTED ")).count() == 2);
        firstStartLog = Files.readString(home.resolve("data/log/karaf.log"));
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (node != null) {
            node.stopAndWait();
        }
    }

    @Test
    public void startsAndServesBothSimulatorsPromptly() {
        // On an idle small box this is 8 to 10 s (see README); the bound leaves room for a busy CI machine.
        System.out.println("Fogwerk node: bin/start to both simulators serving took " + bootMillis + " ms");
        assertTrue("the node took " + bootMillis + " ms to serve both simulators", bootMillis < 45_000);
    }

    @Test
    public void noBundleIsLeftInstalledResolvedOrFailed() throws Exception {
        String bundles = client("bundle:list -t 0 --no-format");
        List<String> bad = new ArrayList<>();
        int listed = 0;
        for (String line : bundles.split("\\R")) {
            String[] columns = line.split("\t");
            if (columns.length < 5) {
                continue;
            }
            listed++;
            boolean fragment = columns[4].contains("Hosts:");
            if (!fragment && !columns[1].trim().equals("Active")) {
                bad.add(line);
            }
        }
        // the shipped administrator sees the system bundles too, so the whole container is checked
        assertTrue(bundles, listed > 60);
        assertTrue(bundles, bundles.contains("Fogwerk Core"));
        assertEquals(bundles, List.of(), bad);
    }

    @Test
    public void theShellKnowsTheFogwerkCommands() throws Exception {
        String sim = client("fogwerk:sim-status --tags");
        assertTrue(sim, sim.contains("setpointDouble20"));
        String bad = client("fogwerk:tag-list unknown-press");
        assertTrue(bad, bad.contains("no connection named 'unknown-press'"));
    }

    @Test
    public void runsWithTheHeapSetInBinSetenv() throws Exception {
        String info = client("shell:info").replaceAll("\u001B\\[[0-9;]*m", "");
        java.util.regex.Matcher max = Pattern.compile("Maximum heap size\\s+([0-9,]+) kbytes").matcher(info);
        assertTrue(info, max.find());
        long kbytes = Long.parseLong(max.group(1).replace(",", ""));
        assertTrue("maximum heap " + kbytes + " KiB, bin/setenv sets 256 MiB", kbytes <= 256 * 1024 && kbytes > 200 * 1024);
    }

    @Test
    public void remoteJmxIsNotStartedButInstallsFromTheDistribution() throws Exception {
        String installed = client("feature:list -i --no-format");
        assertTrue(installed, installed.contains("fogwerk"));
        assertTrue(installed, installed.lines().noneMatch(l -> l.split("\t")[0].strip().equals("management")));
        // feature:install management resolves, and its bundles ship in the distribution's own
        // repository, so it installs without a network
        String simulated = client("feature:install --simulate --verbose management");
        assertTrue(simulated, !simulated.contains("Error executing command")
                && simulated.contains("Adding features: management"));
        assertTrue(Files.isDirectory(home.resolve("system/org/apache/karaf/management/org.apache.karaf.management.server")));
    }

    @Test
    public void logsAWarningWhileTheAdministratorPasswordIsTheShippedOne() throws Exception {
        Path log = home.resolve("data/log/karaf.log");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(log) && Files.readString(log).contains("still has its shipped password"));
    }

    @Test
    public void theAuditTrailRecordsFailedLoginsAndConfigurationAndVerifiesInBatchMode() throws Exception {
        String refused = client("shell:info", "wrong-password");
        assertTrue(refused, !refused.contains("Karaf version"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String logins = client("fogwerk:audit-list --kind login --identity admin");
            assertTrue(logins, logins.contains("jaas") && logins.contains("failed"));
        });

        Files.writeString(home.resolve("etc/org.fogwerk.auditcheck.cfg"),
                "broker.password = Hunter2-NotInTheTrail\nplain = 1\n");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String config = client("fogwerk:audit-list --kind config --limit 0");
            assertTrue(config, config.contains("org.fogwerk.auditcheck") && config.contains("created")
                    && config.contains("broker.password"));
        });
        // changed from a shell session: on record with its user
        client("config:property-set -p org.fogwerk.auditcheck broker.password Another-Secret-Value");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String config = client("fogwerk:audit-list --kind config --identity admin");
            assertTrue(config, config.contains("org.fogwerk.auditcheck") && config.contains("changed: broker.password"));
        });
        try (var files = Files.list(home.resolve("data/fogwerk/audit"))) {
            for (Path f : files.toList()) {
                // the journal is binary: one character a byte
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                assertTrue(f + " holds no secret value", !text.contains("Hunter2-NotInTheTrail")
                        && !text.contains("Another-Secret-Value"));
            }
        }
        String verify = client("fogwerk:audit-verify");
        assertTrue(verify, Pattern.compile("intact: \\d+ entries").matcher(verify).find());
        String bad = client("fogwerk:audit-list --since yesterday");
        assertTrue(bad, bad.contains("--since 'yesterday' is neither a time"));
    }

    @Test
    public void theFirstStartLogsNoWarningOrErrorButTheShippedPasswordOne() {
        List<String> bad = new ArrayList<>();
        for (String line : firstStartLog.split("\\R")) {
            if ((line.contains("| WARN ") || line.contains("| ERROR ")) && !line.contains("still has its shipped password")) {
                bad.add(line);
            }
        }
        assertEquals(String.join("\n", bad), List.of(), bad);
    }

    @Test
    public void everyShellCommandOfTheReadmeRuns() throws Exception {
        List<ReadmeCommands.ReadmeCommand> commands = ReadmeCommands.read(Paths.get("..", "README.md"));
        assertTrue(commands.toString(), commands.size() > 20);
        List<String> failures = new ArrayList<>();
        for (ReadmeCommands.ReadmeCommand c : commands) {
            String out = withoutScriptWarnings(client(c.line()));
            boolean failed = out.contains("Error executing command") || out.contains("Command not found");
            if (failed != c.refused()) {
                failures.add(c.line() + (c.refused() ? " was not refused" : " failed") + ":\n" + out);
            } else if (!c.refused() && out.isBlank()) {
                failures.add(c.line() + " printed nothing");
            }
        }
        assertEquals(String.join("\n", failures), List.of(), failures);
    }

    @Test
    public void commandsThatAnswerWithTextPrintItInBatchMode() throws Exception {
        String write = withoutScriptWarnings(client("fogwerk:modbus-write sim-modbus setpointFloat19 12.5"));
        assertEquals("sim-modbus/setpointFloat19 = 12.5: DONE", write.strip());
        String read = client("fogwerk:modbus-read sim-modbus 1 holding 3 2 float32 ABCD");
        assertTrue(read, read.contains("float32 ABCD = 12.5"));
        String call = client("fogwerk:opcua-call sim-opcua 'nsu=urn:fogwerk:simulator;s=Machine' "
                + "'nsu=urn:fogwerk:simulator;s=Machine/SetSetpoint' setpointDouble20 42.5");
        assertTrue(call, call.contains("DONE") || call.contains("Output"));
    }

    @Test
    public void aRefusedWriteIsOneLineInTheLog() throws Exception {
        Path log = home.resolve("data/log/karaf.log");
        long before = Files.size(log);
        String out = client("fogwerk:modbus-write sim-modbus setpointFloat19 1000");
        assertTrue(out, out.contains("above the maximum"));
        String added = Files.readString(log).substring((int) before);
        assertTrue(added, added.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception:")));
    }

    @Test
    public void theScriptsFindTheJdkWithoutJavaHome() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bin/status");
        pb.directory(home.toFile());
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", Paths.get(System.getProperty("java.home"), "bin") + File.pathSeparator
                + pb.environment().getOrDefault("PATH", ""));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out, out.contains("Running"));
        assertTrue(out, !out.contains("JAVA_HOME not set"));
    }

    @Test
    public void noLocalProcessCanStopTheNodeThroughAShutdownPort() throws Exception {
        String props = Files.readString(home.resolve("etc/custom.properties"));
        assertTrue(props.contains("karaf.shutdown.port = -1"));
        // Karaf writes the port file only when it listens for the shutdown command
        assertTrue(!Files.exists(home.resolve("data/port")));
    }

    @Test
    public void aFailedLoginIsLogged() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bin/client", "-u", "admin", "-p", "wrong-" + System.nanoTime(),
                "-h", "127.0.0.1", "-a", Integer.toString(sshPort), "-r", "1", "-b");
        pb.directory(home.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write("bundle:list\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Path log = home.resolve("data/log/karaf.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("Authentication failed - admin"));
    }

    private static String withoutScriptWarnings(String out) {
        return out.lines().filter(l -> !l.startsWith("client: ")).reduce("", (a, b) -> a + b + "\n");
    }

    private static String client(String command) throws Exception {
        return client(command, "admin");
    }

    private static String client(String command, String password) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bin/client", "-u", "admin", "-p", password, "-h", "127.0.0.1",
                "-a", Integer.toString(sshPort), "-r", "1", "-b");
        pb.directory(home.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("bin/client did not finish: " + out);
        }
        return out;
    }
}
