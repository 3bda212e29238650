package org.fogwerk.connector.opcua.internal.shell;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.connector.opcua.internal.TagExporter;
import org.osgi.framework.BundleContext;
import org.fogwerk.support.shell.AnsweringAction;

@Service
@Command(scope = "fogwerk", name = "opcua-export", description = "Writes the variables under an OPC UA node as a tags CSV for tags.file")
public class ExportCommand extends AnsweringAction {

    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "connection", required = true, description = "OPC UA connection id")
    @Completion(ConnectionCompleter.class)
    String connection;

    @Argument(index = 1, name = "nodeId", required = true, description = "node to export from, e.g. nsu=urn:fogwerk:simulator;s=Machine")
    String nodeId;

    @Argument(index = 2, name = "file", required = true, description = "CSV file to write, e.g. etc/tags/press01.csv")
    String file;

    @Override
    protected Object answer() throws Exception {
        List<String> lines = Shell.await(TagExporter.export(Connections.get(bundleContext, connection), nodeId));
        Path target = Paths.get(file);
        if (!target.isAbsolute() && System.getProperty("karaf.base") != null) {
            target = Paths.get(System.getProperty("karaf.base")).resolve(target);
        }
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        return (lines.size() - 1) + " variables written to " + target;
    }
}
