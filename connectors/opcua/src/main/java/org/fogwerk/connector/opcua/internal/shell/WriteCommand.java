package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.WriteResult;

/** Goes through the write gateway, so role, write policy, access, type and min/max are checked and the write audited. */
@Service
@Command(scope = "fogwerk", name = "opcua-write", description = "Writes a configured rw tag of an OPC UA connection")
public class WriteCommand extends ConnectionAction {

    @Reference
    WriteGateway gateway;

    @Argument(index = 1, name = "tag", required = true, description = "tag name")
    String tag;

    @Argument(index = 2, name = "value", required = true, description = "value (true/false, a number or text)")
    String value;

    @Override
    protected Object answer() throws Exception {
        running(); // an OPC UA connection of that name, as the other opcua commands take
        WriteResult r = Shell.await(gateway.write(Caller.currentUser(Source.SHELL), connection, tag, value)
                .toCompletableFuture());
        if (r.outcome() == WriteResult.Outcome.DONE) {
            return connection + "/" + tag + " = " + value + ": DONE";
        }
        throw new IllegalArgumentException(connection + "/" + tag + ": " + r.outcome() + ": "
                + r.reason());
    }
}
