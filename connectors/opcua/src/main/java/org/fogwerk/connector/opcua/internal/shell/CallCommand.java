package org.fogwerk.connector.opcua.internal.shell;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.WriteResult;

/**
 * Calls an OPC UA method through the write gateway (role, write policy, audit). Arguments are text, converted by the connector
 * to the types the method declares; node ids with {@code ;} must be quoted in the shell.
 */
@Service
@Command(scope = "fogwerk", name = "opcua-call",
        description = "Calls a method of an OPC UA object and prints its outputs")
public class CallCommand extends ConnectionAction {

    @Reference
    WriteGateway gateway;

    @Argument(index = 1, name = "objectId", required = true,
            description = "the object's node id, quoted: 'nsu=urn:fogwerk:simulator;s=Machine'")
    String objectId;

    @Argument(index = 2, name = "methodId", required = true,
            description = "the method's node id, quoted: 'nsu=urn:fogwerk:simulator;s=Machine/SetSetpoint'")
    String methodId;

    @Argument(index = 3, name = "arguments", multiValued = true,
            description = "input arguments in order (true/false, numbers, text; a list as a,b,c)")
    List<String> arguments;

    @Override
    protected Object answer() throws Exception {
        List<Object> args = arguments == null ? List.of() : new ArrayList<>(arguments);
        CallResult r = Shell.await(gateway.call(Caller.currentUser(Source.SHELL), connection, objectId, methodId, args).toCompletableFuture());
        if (r.outcome() != WriteResult.Outcome.DONE) {
            throw new IllegalArgumentException(connection + ": " + methodId + ": " + r.outcome() + ": " + r.reason());
        }
        if (r.outputs().isEmpty()) {
            return methodId + ": DONE (no outputs)";
        }
        ShellTable table = new ShellTable();
        table.column("Output");
        table.column("Value");
        table.column("Type");
        for (int i = 0; i < r.outputs().size(); i++) {
            Object v = r.outputs().get(i);
            table.addRow().addContent(i + 1, v == null ? "" : TagValue.good(connection, methodId, v).valueAsText(),
                    v == null ? "null" : v.getClass().getSimpleName());
        }
        table.print(out());
        return null;
    }
}
