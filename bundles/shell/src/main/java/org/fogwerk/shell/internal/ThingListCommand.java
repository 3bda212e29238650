package org.fogwerk.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.support.shell.AnsweringAction;
import org.fogwerk.support.table.Columns;

@Service
@Command(scope = "fogwerk", name = "thing-list", description = "Lists the things of the node with their type, "
        + "shadows and fields, and why a thing's configuration or its reported state does not work")
public class ThingListCommand extends AnsweringAction {

    @Reference
    ThingRegistry things;

    @Reference(optional = true)
    ReportedState reported;

    @Reference(optional = true)
    ShadowStore store;

    @Override
    protected Object answer() {
        ShellTable table = new ShellTable();
        Columns.text(table, "THING", "TYPE", "SHADOW");
        Columns.numbers(table, "FIELDS");
        Columns.text(table, "FROM", "ERROR");
        List<ReportedState.Failure> failing = reported == null ? List.of() : reported.failing();
        for (Thing t : things.things()) {
            table.addRow().addContent(t.name(), t.type(), ThingShadows.summary(ThingShadows.all(things, t)), t.mappings().size(), from(t),
                    error(t, failing));
        }
        table.emptyTableText("No things: add etc/org.fogwerk.thing-<name>.cfg, or a connection");
        table.print(out());
        int restored = store == null ? 0 : store.restoredAtStart();
        if (restored > 0) {
            out().println("Shadow store: " + restored + " shadow(s) taken back from its snapshot at start,"
                    + " its file was damaged (the log names the damage)");
        }
        long dropped = store == null ? 0 : store.droppedEvents();
        if (dropped > 0) {
            out().println("Shadow store: " + dropped + " event(s) not passed on since start, its"
                    + " listeners (machine writes, shadow topics, event stream) fell behind; each acts on the shadow's"
                    + " next event");
        }
        return null;
    }

    /** The configuration's error, else why reported state is not written, naming the shadow. */
    private static String error(Thing t, List<ReportedState.Failure> failing) {
        if (!t.error().isEmpty()) {
            return t.error();
        }
        List<ReportedState.Failure> mine = failing.stream().filter(f -> f.thing().equals(t.name())).toList();
        if (mine.isEmpty()) {
            return "";
        }
        ReportedState.Failure f = mine.get(0);
        return "reported state of " + ThingShadows.name(f.shadow()) + " not written (" + f.code() + ", " + f.count()
                + (f.count() == 1 ? " time" : " times") + " since " + f.since() + "): " + f.reason()
                + (mine.size() > 1 ? " (and " + (mine.size() - 1) + " more shadows)" : "");
    }

    private static String from(Thing t) {
        if (!t.implicit()) {
            return "thing file";
        }
        return t.type().equals(NodeIdentity.THING_TYPE) ? "node" : "connection";
    }
}
