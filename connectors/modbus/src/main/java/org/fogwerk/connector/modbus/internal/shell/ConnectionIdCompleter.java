package org.fogwerk.connector.modbus.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.fogwerk.connector.modbus.internal.ModbusConnections;

/** Completes the ids of this node's Modbus connections. */
@Service
public class ConnectionIdCompleter implements Completer {

    @Reference
    ModbusConnections connections;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter(connections.ids());
        return delegate.complete(session, commandLine, candidates);
    }
}
