package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.TagValue;

@Service
@Command(scope = "fogwerk", name = "opcua-read", description = "Reads the value of any OPC UA node now")
public class ReadCommand extends ConnectionAction {

    @Argument(index = 1, name = "nodeId", required = true, description = "node id, e.g. nsu=urn:fogwerk:simulator;s=sineDouble06")
    String nodeId;

    @Override
    protected Object answer() throws Exception {
        TagValue v = Shell.await(running().readNodeValue(nodeId));
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
