package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;

@Service
@Command(scope = "fogwerk", name = "thing-list", description = "Lists the things of the node with their type and fields")
public class ThingListCommand implements Action {

    @Reference
    ThingRegistry things;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("THING");
        table.column("TYPE");
        table.column("SHADOW");
        table.column("FIELDS").alignRight();
        table.column("FROM");
        table.column("ERROR");
        for (Thing t : things.things()) {
            table.addRow().addContent(t.name(), t.type(), t.shadow().isEmpty() ? "(classic)" : t.shadow(),
                    t.mappings().size(), from(t), t.error());
        }
        table.emptyTableText("No things: add etc/org.fogwerk.thing-<name>.cfg, or a connection");
        table.print(session.getConsole());
        return null;
    }

    private static String from(Thing t) {
        if (!t.implicit()) {
            return "thing file";
        }
        return t.type().equals(NodeIdentity.THING_TYPE) ? "node" : "connection";
    }
}
