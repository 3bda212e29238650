package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-delete", description = "Deletes a thing's shadow")
public class ShadowDeleteCommand implements Action {

    @Argument(index = 0, name = "thing", required = true, description = "The thing name")
    @Completion(ThingNameCompleter.class)
    String thing;

    @Argument(index = 1, name = "shadow", description = "A named shadow; the classic shadow when left out")
    String shadow = ShadowStore.CLASSIC;

    @Option(name = "-v", aliases = "--version", description = "Delete only if the shadow is at this version")
    Long version;

    @Reference(optional = true)
    ShadowStore store;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShadowJson.requireStore(store);
        try {
            store.delete(thing, shadow, version);
        } catch (ShadowException e) {
            throw ShadowJson.refusal(e);
        }
        session.getConsole().println("Deleted the " + (shadow.isEmpty() ? "classic shadow" : "shadow " + shadow)
                + " of " + thing);
        return null;
    }
}
