package org.fogwerk.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.fogwerk.testing.FreePorts;

/**
 * The built distribution unpacked into a folder of {@code target/} and run with its own
 * scripts, as an integrator runs it. Only the ports are moved (and the node id made unique),
 * so a test node runs beside a live one.
 */
final class UnpackedNode {

    final Path home;
    final int sshPort;
    final int httpPort;

    private UnpackedNode(Path home, int sshPort, int httpPort) {
        this.home = home;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
    }

    /** Unpacks the distribution into {@code target} (emptied first) and moves every port to a free one. */
    static UnpackedNode unpack(Path target) throws Exception {
        deleteTree(target);
        Files.createDirectories(target);
        run(target, List.of("tar", "xzf", new File(System.getProperty("fogwerk.distribution")).getAbsolutePath()), 120);
        Path home;
        try (var entries = Files.list(target)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        int sshPort = FreePorts.next();
        int httpPort = FreePorts.next();
        setKey(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(sshPort));
        setKey(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", Integer.toString(httpPort));
        int opcuaPort = FreePorts.next();
        int modbusPort = FreePorts.next();
        setKey(home.resolve("etc/org.fogwerk.simulator.opcua.cfg"), "port", Integer.toString(opcuaPort));
        setKey(home.resolve("etc/org.fogwerk.simulator.modbus.cfg"), "port", Integer.toString(modbusPort));
        setKey(home.resolve("etc/org.fogwerk.connector.opcua-sim-opcua.cfg"), "endpoint.url",
                "opc.tcp://127.0.0.1:" + opcuaPort + "/fogwerk");
        setKey(home.resolve("etc/org.fogwerk.connector.modbus-sim-modbus.cfg"), "port", Integer.toString(modbusPort));
        setKey(home.resolve("etc/org.fogwerk.uplink.mqtt-local.cfg"), "node.id", "it" + Long.toHexString(System.nanoTime()));
        // the embedded broker's own port (1884 in the demo) may be taken by a node running beside the test
        setKey(home.resolve("etc/org.fogwerk.broker.cfg"), "port", Integer.toString(FreePorts.next()));
        return new UnpackedNode(home, sshPort, httpPort);
    }

    String start() throws Exception {
        return run(home, List.of("bin/start"), 60);
    }

    /** {@code bin/stop}, then waits until {@code bin/status} says the node is down. */
    void stopAndWait() throws Exception {
        run(home, List.of("bin/stop"), 60);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> run(home, List.of("bin/status"), 30).contains("Not Running"));
    }

    static String run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish: " + out);
        }
        return out;
    }

    static void setKey(Path cfg, String key, String value) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean found = false;
        for (String line : Files.readAllLines(cfg)) {
            if (line.matches("\\s*" + Pattern.quote(key) + "\\s*=.*")) {
                lines.add(key + " = " + value);
                found = true;
            } else {
                lines.add(line);
            }
        }
        if (!found) {
            lines.add(key + " = " + value);
        }
        Files.write(cfg, lines);
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
