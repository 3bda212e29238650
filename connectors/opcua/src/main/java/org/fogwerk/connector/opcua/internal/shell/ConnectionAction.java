package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.fogwerk.connector.opcua.internal.OpcUaConnection;
import org.fogwerk.support.shell.AnsweringAction;
import org.osgi.framework.BundleContext;

/** A command on one OPC UA connection, named by its first argument. */
abstract class ConnectionAction extends AnsweringAction {

    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "connection", required = true, description = "OPC UA connection id")
    @Completion(ConnectionCompleter.class)
    String connection;

    /** The running connection; a clear refusal when there is none of that name. */
    OpcUaConnection running() {
        return Connections.get(bundleContext, connection);
    }
}
