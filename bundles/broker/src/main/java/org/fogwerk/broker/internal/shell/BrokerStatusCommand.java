package org.fogwerk.broker.internal.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.broker.internal.BrokerStatus;
import org.fogwerk.broker.internal.EmbeddedBroker;
import org.fogwerk.support.table.PropertyTable;

@Service
@Command(scope = "fogwerk", name = "broker-status",
        description = "Shows the embedded MQTT broker's mode, state, endpoint and connected clients")
public class BrokerStatusCommand implements Action {

    @Reference(optional = true)
    EmbeddedBroker broker;

    @Option(name = "-c", aliases = "--clients", description = "Also list the connected clients")
    boolean clients;

    @Override
    public Object execute() {
        // the command's standard output: the console, or a pipe (| grep) or file the shell points it at
        PrintStream out = System.out;
        if (broker == null) {
            out.println("Embedded MQTT broker not configured (no etc/org.fogwerk.broker.cfg)");
            return null;
        }
        BrokerStatus s = broker.status();
        new PropertyTable()
                .add("Mode", s.mode())
                .add("State", s.state())
                .add("Since", s.since())
                .text("Endpoint", s.endpoint())
                .text("Reason", s.reason())
                .add("Connected clients", s.connectedClients() < 0 ? "-" : s.connectedClients())
                .print(out);
        if (clients && s.connectedClients() > 0) {
            ShellTable list = new ShellTable();
            list.column("Client");
            broker.connectedClientIds().forEach(c -> list.addRow().addContent(c));
            list.print(out);
        }
        return null;
    }
}
