package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.support.table.PropertyTable;

@Service
@Command(scope = "fogwerk", name = "uplink-status", description = "Shows one uplink's state, outbox and counters")
public class UplinkStatusCommand extends OneUplinkAction {

    @Override
    protected Object answer() {
        Uplink u = uplink();
        UplinkStatus s = u.status();
        new PropertyTable()
                .add("Name", u.name())
                .add("State", s.state())
                .add("Since", s.since())
                .text("Last error", s.lastError())
                .add("Outbox depth", s.outboxDepth())
                .add("Oldest unsent", Uplinks.duration(s.oldestUnsent()))
                .add("Sent/s", String.format("%.1f", s.sentPerSecond()))
                .add("Sent", s.sent())
                .add("Replayed", s.replayed())
                .add("Dropped", s.dropped() + " (outbox full, or not written: disk full)")
                .add("Dropped on bus", Uplinks.busDropped(bus, u.name()) + " (queue before the outbox full)")
                .add("Refused", s.refused())
                .add("Quarantined", s.quarantined())
                .print(out());
        return null;
    }

}
