package org.fogwerk.connector.opcua.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.connector.BrowseNode;

@Service
@Command(scope = "fogwerk", name = "opcua-browse", description = "Lists the children of an OPC UA node (Objects when no node id is given)")
public class BrowseCommand extends ConnectionAction {

    @Argument(index = 1, name = "nodeId", required = false, description = "node id, e.g. nsu=urn:fogwerk:simulator;s=Machine")
    String nodeId;

    @Override
    protected Object answer() throws Exception {
        List<BrowseNode> nodes = Shell.await(running().browse(nodeId)
                .toCompletableFuture());
        ShellTable table = new ShellTable();
        table.column("Node Id");
        table.column("Browse Name");
        table.column("Class");
        table.column("Data Type");
        table.column("Access");
        for (BrowseNode n : nodes) {
            table.addRow().addContent(n.nodeId(), n.browseName(), n.nodeClass(), n.dataType(), n.accessLevel());
        }
        table.print(System.out);
        return null;
    }
}
