package org.fogwerk.shell.internal;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.support.shell.AnsweringAction;
import org.fogwerk.support.table.Columns;

@Service
@Command(scope = "fogwerk", name = "connector-list",
        description = "Lists the machine connections with their status, how many values per second they deliver and "
                + "how many of their values were dropped on the way (fogwerk:connector-status says where)")
public class ConnectorListCommand extends AnsweringAction {

    @Reference
    ConnectorRegistry registry;

    @Override
    protected Object answer() {
        ShellTable table = new ShellTable();
        Columns.text(table, "ID", "PROTOCOL", "STATUS", "SINCE");
        Columns.numbers(table, "TAGS", "VALUES/S", "DROPPED");
        Columns.text(table, "REASON");
        Instant now = Instant.now();
        for (ConnectorInfo c : registry.connectors()) {
            table.addRow().addContent(c.id(), c.protocol(), c.status().state(), Formats.age(c.status().since(), now),
                    c.tagCount(), Formats.rate(c.valuesPerSecond()), c.droppedTotal(),
                    Formats.cut(c.status().reason(), 60));
        }
        table.emptyTableText("No connections configured: add etc/org.fogwerk.connector.<protocol>-<name>.cfg");
        table.print(out());
        return null;
    }
}
