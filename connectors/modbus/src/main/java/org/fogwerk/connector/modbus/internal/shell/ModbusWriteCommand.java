package org.fogwerk.connector.modbus.internal.shell;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.WriteResult;

/** Writes a tag of a Modbus connection through the node's write gateway: role, write policy, access, type and limits, audited. */
@Service
@Command(scope = "fogwerk", name = "modbus-write",
        description = "Writes a value to a Modbus tag (checked against the tag's access, type, min and max)")
public class ModbusWriteCommand extends ConnectionAction {

    @Reference
    ConnectorRegistry registry;

    @Reference
    WriteGateway gateway;

    @Argument(index = 1, name = "tag", description = "Tag name", required = true)
    String tag;

    @Argument(index = 2, name = "value", description = "Value in engineering units", required = true)
    String value;

    @Override
    protected Object answer() throws Exception {
        // a Modbus connection of that name, as modbus-read takes
        if (!registry.connector(connection).map(c -> "modbus".equals(c.protocol())).orElse(false)) {
            throw new IllegalArgumentException("no Modbus connection '" + connection + "' (have "
                    + registry.connectors().stream().filter(c -> "modbus".equals(c.protocol())).map(c -> c.id())
                    .sorted().toList() + ")");
        }
        WriteResult r;
        try {
            r = gateway.write(Caller.currentUser(Source.SHELL), connection, tag, value).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("no answer within 30 s");
        }
        if (r.outcome() != WriteResult.Outcome.DONE) {
            throw new IllegalArgumentException(connection + "/" + tag + ": " + r.outcome() + ": " + r.reason());
        }
        return connection + "/" + tag + " = " + value + ": DONE";
    }
}
