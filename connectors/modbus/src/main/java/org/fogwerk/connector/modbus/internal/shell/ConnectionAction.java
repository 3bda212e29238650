package org.fogwerk.connector.modbus.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.fogwerk.support.shell.AnsweringAction;

/** A command on one Modbus connection, named by its first argument. */
abstract class ConnectionAction extends AnsweringAction {

    @Argument(index = 0, name = "connection", description = "Modbus connection id", required = true)
    @Completion(ConnectionIdCompleter.class)
    String connection;
}
