package org.fogwerk.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.support.table.Columns;

@Service
@Command(scope = "fogwerk", name = "uplink-list", description = "Lists the uplinks with state, outbox depth and the values "
        + "they dropped (outbox full or not writable, or on the tag bus before the outbox)")
public class UplinkListCommand extends UplinkAction {

    @Override
    protected Object answer() {
        ShellTable table = new ShellTable();
        Columns.text(table, "Name", "State");
        Columns.numbers(table, "Outbox", "Oldest unsent", "Sent/s", "Sent", "Dropped");
        Columns.text(table, "Last error");
        List<Uplink> sorted = new ArrayList<>(uplinks == null ? List.of() : uplinks);
        sorted.sort(Comparator.comparing(Uplink::name));
        for (Uplink u : sorted) {
            UplinkStatus s = u.status();
            table.addRow().addContent(u.name(), s.state(), s.outboxDepth(), Uplinks.duration(s.oldestUnsent()),
                    String.format("%.0f", s.sentPerSecond()), s.sent(), s.dropped() + Uplinks.busDropped(bus, u.name()),
                    s.lastError());
        }
        table.print(out());
        return null;
    }
}
