package org.fogwerk.camel.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.camel.internal.runtime.RouteCatalog;
import org.fogwerk.support.table.Columns;

/** Lists the routes of the node's Camel context: where each came from, its state, counters and last error. */
@Service
@Command(scope = "fogwerk", name = "route-list",
        description = "Lists routing rules: route id, the file or bundle it came from, state, exchanges, failures,"
                + " values lost to overflow and the last error (file:line: reason)")
public class RouteListCommand implements Action {

    @Reference(optional = true)
    RouteCatalog catalog;

    @Option(name = "--errors", description = "Only routes and files with an error")
    boolean errorsOnly;

    @Override
    public Object execute() {
        if (catalog == null) {
            throw new IllegalStateException("the routing feature is not running (feature:install fogwerk-camel)");
        }
        ShellTable table = new ShellTable();
        Columns.text(table, "Route", "Source", "State");
        Columns.numbers(table, "Exchanges", "Failures", "Overflow");
        table.column("Last error").maxSize(160);
        for (RouteCatalog.Row r : catalog.rows()) {
            if (errorsOnly && r.lastError().isEmpty()) {
                continue;
            }
            table.addRow().addContent(r.routeId(), r.origin(), r.state(), r.exchanges(), r.failures(), r.overflow(),
                    r.lastError());
        }
        table.print(System.out);
        return null;
    }
}
