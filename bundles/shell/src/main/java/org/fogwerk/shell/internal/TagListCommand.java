package org.fogwerk.shell.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.support.shell.AnsweringAction;

@Service
@Command(scope = "fogwerk", name = "tag-list",
        description = "Shows the latest value of every tag, with its quality and source timestamp")
public class TagListCommand extends AnsweringAction {

    @Argument(index = 0, name = "connection", description = "Only the tags of this connection")
    @Completion(ConnectionIdCompleter.class)
    String connection;

    @Reference
    ConnectorRegistry registry;

    @Reference
    TagBus bus;

    @Override
    protected Object answer() {
        TreeSet<String> known = new TreeSet<>(bus.connections().keySet());
        registry.connectors().forEach(c -> known.add(c.id()));
        List<String> ids = new ArrayList<>();
        if (connection != null) {
            if (!known.contains(connection)) {
                throw Connections.unknown(connection, known);
            }
            ids.add(connection);
        } else {
            ids.addAll(known);
        }

        ShellTable table = new ShellTable();
        table.column("CONNECTION");
        table.column("TAG");
        table.column("VALUE").alignRight();
        table.column("TYPE");
        table.column("QUALITY");
        table.column("SOURCE TIME");
        table.column("REASON");
        for (String id : ids) {
            Map<String, TagDefinition> definitions = new HashMap<>();
            registry.tags(id).forEach(d -> definitions.put(d.name(), d));
            List<TagValue> values = bus.latest(id);
            for (TagValue v : values) {
                TagDefinition d = definitions.remove(v.tag());
                table.addRow().addContent(id, v.tag(), Formats.cut(v.valueAsText(), 40),
                        d == null ? "" : d.typeName().toLowerCase(Locale.ROOT), v.quality(),
                        Formats.time(v.sourceTime()), v.qualityReason() == null ? "" : Formats.cut(v.qualityReason(), 50));
            }
            // configured tags that have not delivered a value yet are shown too, so nothing hides
            new TreeSet<>(definitions.keySet()).forEach(name -> table.addRow().addContent(id, name, "",
                    definitions.get(name).typeName().toLowerCase(Locale.ROOT), "-", "", "no value yet"));
        }
        table.emptyTableText(connection == null ? "No tag values yet" : "No tag values yet for " + connection);
        table.print(out());
        return null;
    }
}
