package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-delete", description = "Deletes a thing's shadow")
public class ShadowDeleteCommand extends ShadowAction {

    @Option(name = "-v", aliases = "--version", description = "Delete only if the shadow is at this version")
    Long version;

    @Reference(optional = true)
    WriteGateway gateway;

    @Override
    String run(ShadowStore store) throws ShadowException {
        ShadowJson.requireGateway(gateway);
        gateway.deleteShadow(Caller.currentUser(Source.SHELL), thing, shadow, version, null);
        return "Deleted the " + (shadow.isEmpty() ? "classic shadow" : "shadow " + shadow) + " of " + thing;
    }
}
