package org.fogwerk.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.Row;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.support.shell.AnsweringAction;

@Service
@Command(scope = "fogwerk", name = "thing-show",
        description = "Shows one thing: type, attributes, and which tag feeds which field with its latest value")
public class ThingShowCommand extends AnsweringAction {

    @Argument(index = 0, name = "thing", required = true, description = "The thing name")
    @Completion(ThingNameCompleter.class)
    String name;

    @Reference
    ThingRegistry things;

    @Reference
    TagBus bus;

    @Override
    protected Object answer() {
        Thing t = things.thing(name).orElseThrow(() -> new IllegalArgumentException("no thing named '" + name + "'"));
        PrintStream out = out();
        out.println("Thing:      " + t.name() + (t.implicit() ? " (one field per tag of connection " + t.name() + ")" : ""));
        out.println("Type:       " + t.type());
        List<String> shadows = ThingShadows.all(things, t);
        out.println("Shadow:     " + ThingShadows.summary(shadows));
        t.attributes().forEach((k, v) -> out.println("Attribute:  " + k + " = " + v));
        if (!t.error().isEmpty()) {
            out.println("Error:      " + t.error());
        }
        ShellTable table = new ShellTable();
        table.column("FIELD");
        table.column("TAG");
        table.column("VALUE").alignRight();
        table.column("QUALITY");
        boolean several = shadows.size() > 1;
        if (several) {
            table.column("SHADOW");
        }
        for (FieldMapping m : t.mappings()) {
            TagValue v = bus.latest(m.connectionId(), m.tag()).orElse(null);
            Row row = table.addRow();
            row.addContent(m.field(), m.connectionId() + "/" + m.tag(),
                    v == null ? "" : Formats.cut(v.valueAsText(), 40), v == null ? "-" : v.quality());
            if (several) {
                row.addContent(ThingShadows.name(things.shadowOf(t, m)));
            }
        }
        table.print(out);
        return null;
    }
}
