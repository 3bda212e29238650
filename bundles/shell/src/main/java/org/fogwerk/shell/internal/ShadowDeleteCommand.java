package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-delete", description = "Deletes a thing's shadow")
public class ShadowDeleteCommand extends ShadowAction {

    @Option(name = "-v", aliases = "--version", description = "Delete only if the shadow is at this version")
    Long version;

    @Override
    String run(ShadowStore store) throws ShadowException {
        store.delete(thing, shadow, version);
        return "Deleted the " + (shadow.isEmpty() ? "classic shadow" : "shadow " + shadow) + " of " + thing;
    }
}
