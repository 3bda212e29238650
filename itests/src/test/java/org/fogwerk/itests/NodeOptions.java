package org.fogwerk.itests;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/** The built distribution as a test boots it: Karaf's own ports moved to free ones, so it runs beside a live node. */
final class NodeOptions {

    private NodeOptions() {
    }

    /** Those options, followed by the test's own. */
    static Option[] builtNode(Option... more) {
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration().frameworkUrl(new File(System.getProperty("fogwerk.distribution"))
                        .toURI().toString()).name("Fogwerk").unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(FreePorts.next())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort",
                        Integer.toString(FreePorts.next())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort",
                        Integer.toString(FreePorts.next()))));
        options.addAll(Arrays.asList(more));
        return options.toArray(Option[]::new);
    }
}
