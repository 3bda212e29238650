package org.fogwerk.shell.internal;


import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkStatus;

@Service
@Command(scope = "fogwerk", name = "uplink-status", description = "Shows one uplink's state, outbox and counters")
public class UplinkStatusCommand extends OneUplinkAction {

    @Override
    protected Object answer() {
        Uplink u = uplink();
        UplinkStatus s = u.status();
        ShellTable table = new ShellTable();
        table.noHeaders();
        table.column("Key");
        table.column("Value");
        table.addRow().addContent("Name", u.name());
        table.addRow().addContent("State", s.state());
        table.addRow().addContent("Since", s.since());
        table.addRow().addContent("Last error", s.lastError().isEmpty() ? "-" : s.lastError());
        table.addRow().addContent("Outbox depth", s.outboxDepth());
        table.addRow().addContent("Oldest unsent", Uplinks.duration(s.oldestUnsent()));
        table.addRow().addContent("Sent/s", String.format("%.1f", s.sentPerSecond()));
        table.addRow().addContent("Sent", s.sent());
        table.addRow().addContent("Replayed", s.replayed());
        table.addRow().addContent("Dropped", s.dropped() + " (outbox full)");
        table.addRow().addContent("Dropped on bus", Uplinks.busDropped(bus, u.name())
                + " (queue before the outbox full)");
        table.addRow().addContent("Refused", s.refused());
        table.addRow().addContent("Quarantined", s.quarantined());
        table.print(session.getConsole());
        return null;
    }

}
