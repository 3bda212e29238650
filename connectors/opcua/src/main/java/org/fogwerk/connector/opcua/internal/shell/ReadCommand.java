package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.TagValue;
import org.osgi.framework.BundleContext;

@Service
@Command(scope = "fogwerk", name = "opcua-read", description = "Reads the value of any OPC UA node now")
public class ReadCommand implements Action {

    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "connection", required = true, description = "OPC UA connection id")
    @Completion(ConnectionCompleter.class)
    String connection;

    @Argument(index = 1, name = "nodeId", required = true, description = "node id, e.g. nsu=urn:fogwerk:simulator;s=sineDouble06")
    String nodeId;

    @Override
    public Object execute() throws Exception {
        TagValue v = Shell.await(Connections.get(bundleContext, connection).readNodeValue(nodeId));
        ShellTable table = new ShellTable();
        table.column("Node Id");
        table.column("Value");
        table.column("Type");
        table.column("Quality");
        table.column("Source Time");
        Object value = v.value();
        table.addRow().addContent(nodeId, v.valueAsText(), value == null ? "" : value.getClass().getSimpleName(),
                v.quality() + (v.qualityReason() == null ? "" : " " + v.qualityReason()), v.sourceInstant());
        table.print(System.out);
        return null;
    }
}
