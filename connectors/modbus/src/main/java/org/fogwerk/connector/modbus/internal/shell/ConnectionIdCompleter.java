package org.fogwerk.connector.modbus.internal.shell;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.connector.modbus.internal.ModbusConnections;
import org.fogwerk.support.shell.NameCompleter;

/** Completes the ids of this node's Modbus connections. */
@Service
public class ConnectionIdCompleter extends NameCompleter {

    @Reference
    ModbusConnections connections;

    @Override
    protected Collection<String> names() {
        return connections.ids();
    }
}
