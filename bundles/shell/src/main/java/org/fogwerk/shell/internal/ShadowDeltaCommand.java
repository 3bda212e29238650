package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-delta",
        description = "Prints the desired fields of a thing's shadow that the machine has not reported yet")
public class ShadowDeltaCommand implements Action {

    @Argument(index = 0, name = "thing", required = true, description = "The thing name")
    @Completion(ThingNameCompleter.class)
    String thing;

    @Argument(index = 1, name = "shadow", description = "A named shadow; the classic shadow when left out")
    String shadow = ShadowStore.CLASSIC;

    @Reference(optional = true)
    ShadowStore store;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShadowJson.requireStore(store);
        try {
            session.getConsole().println(ShadowJson.write(store.get(thing, shadow).delta()));
        } catch (ShadowException e) {
            throw ShadowJson.refusal(e);
        }
        return null;
    }
}
