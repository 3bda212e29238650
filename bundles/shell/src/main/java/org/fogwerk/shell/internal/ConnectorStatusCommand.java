package org.fogwerk.shell.internal;

import java.io.PrintStream;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.support.shell.AnsweringAction;

@Service
@Command(scope = "fogwerk", name = "connector-status",
        description = "Shows one connection in full: state, the whole reason, since when, reconnects and counters")
public class ConnectorStatusCommand extends AnsweringAction {

    @Argument(index = 0, name = "connection", required = true, description = "The connection id")
    @Completion(ConnectionIdCompleter.class)
    String id;

    @Reference
    ConnectorRegistry registry;

    @Override
    protected Object answer() {
        ConnectorInfo c = registry.connector(id).orElseThrow(() -> Connections.unknown(id, Connections.ids(registry)));
        PrintStream out = out();
        out.println("Connection: " + c.id());
        out.println("Protocol:   " + c.protocol());
        out.println("State:      " + c.status().state() + " since " + c.status().since() + " ("
                + Formats.age(c.status().since(), Instant.now()) + ")");
        out.println("Reason:     " + c.status().reason());
        out.println("Reconnects: " + c.status().reconnects());
        out.println("Tags:       " + c.tagCount());
        out.println("Values:     " + c.valuesIn() + " in, " + c.droppedTotal() + " dropped, "
                + Formats.rate(c.valuesPerSecond()) + "/s");
        if (c.droppedTotal() > 0) {
            out.println("Dropped:    " + c.valuesDropped() + " by the connection's queue on the bus");
            c.droppedByConsumer().forEach((consumer, n) -> out.println("            " + n + " by " + consumer
                    + " (its queue was full)"));
        }
        return null;
    }
}
