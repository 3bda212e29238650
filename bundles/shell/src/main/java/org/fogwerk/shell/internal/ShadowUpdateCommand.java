package org.fogwerk.shell.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-update",
        description = "Applies an update document to a thing's shadow, for example "
                + "shadow-update press01 '{\"state\":{\"desired\":{\"speed\":1200}}}' (quote the JSON)")
public class ShadowUpdateCommand extends ShadowStoreAction {

    @Argument(index = 1, name = "[shadow] json", required = true, multiValued = true,
            description = "An optional shadow name, then the update document in single quotes")
    List<String> rest;

    @Reference(optional = true)
    WriteGateway gateway;

    @Override
    String run(ShadowStore store) throws ShadowException {
        ShadowJson.requireGateway(gateway);
        if (rest.size() > 2) {
            throw new IllegalArgumentException("too many arguments: put the JSON document in single quotes");
        }
        String shadow = rest.size() == 2 ? rest.get(0) : ShadowStore.CLASSIC;
        String json = rest.get(rest.size() - 1);
        byte[] accepted = gateway.updateShadow(Caller.currentUser(Source.SHELL), thing, shadow,
                json.getBytes(StandardCharsets.UTF_8));
        return ShadowJson.pretty(accepted);
    }
}
