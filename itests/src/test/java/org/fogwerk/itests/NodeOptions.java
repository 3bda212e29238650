package org.fogwerk.itests;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.wrappedBundle;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fogwerk.testing.FreePorts;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * The built distribution as it ships, with every port it listens on moved to a free one (SSH,
 * HTTP, both simulators and the demo connections to them) and a node id of its own, so a
 * test node runs beside a live one and its topics on the shared broker are its own.
 */
final class NodeOptions {

    private NodeOptions() {
    }

    /** For a test that needs none of the ports or the node id: each of them its own. */
    static Option node() {
        return node(Integer.toString(FreePorts.next()), Integer.toString(FreePorts.next()),
                Integer.toString(FreePorts.next()), nodeId());
    }

    static Option node(String opcuaPort, String modbusPort, String httpPort, String nodeId) {
        return composite(
            distribution(),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
            editConfigurationFilePut("etc/org.fogwerk.simulator.opcua.cfg", "port", opcuaPort),
            editConfigurationFilePut("etc/org.fogwerk.simulator.modbus.cfg", "port", modbusPort),
            editConfigurationFilePut("etc/org.fogwerk.connector.modbus-sim-modbus.cfg", "port", modbusPort),
            editConfigurationFilePut("etc/org.fogwerk.connector.opcua-sim-opcua.cfg", "endpoint.url",
                    "opc.tcp://127.0.0.1:" + opcuaPort + "/fogwerk"),
            editConfigurationFilePut("etc/org.fogwerk.uplink.mqtt-local.cfg", "node.id", nodeId),
            editConfigurationFilePut("etc/custom.properties", "fogwerk.node", nodeId),
            editConfigurationFilePut("etc/org.fogwerk.broker.cfg", "port", Integer.toString(FreePorts.next())),
            // boot features install after the features service started: injected services may come late
            systemProperty("pax.exam.service.timeout").value("120000"),
            wrappedBundle(mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version"))),
            wrappedBundle(mavenBundle("org.hamcrest", "hamcrest", "2.1")));
    }

    /** The built distribution, unpacked under target/exam, its console on a free port. */
    private static Option distribution() {
        return composite(
            karafDistributionConfiguration().frameworkUrl(new File(System.getProperty("fogwerk.distribution")).toURI()
                    .toString()).name("Fogwerk").unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(FreePorts.next())));
    }

    /** A node id no other test run uses. */
    static String nodeId() {
        return "it" + Long.toHexString(System.nanoTime());
    }

    /** Those options, followed by the test's own. */
    static Option[] builtNode(Option... more) {
        List<Option> options = new ArrayList<>(List.of(
                distribution(),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port",
                        Integer.toString(FreePorts.next())),
                editConfigurationFilePut("etc/org.fogwerk.broker.cfg", "port", Integer.toString(FreePorts.next())),
                // boot features install after the features service started: injected services may come late
                systemProperty("pax.exam.service.timeout").value("120000")));
        options.addAll(Arrays.asList(more));
        return options.toArray(Option[]::new);
    }
}
