package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-get",
        description = "Prints a thing's shadow: desired, reported and delta state, metadata and version")
public class ShadowGetCommand implements Action {

    @Argument(index = 0, name = "thing", required = true, description = "The thing name")
    @Completion(ThingNameCompleter.class)
    String thing;

    @Argument(index = 1, name = "shadow", description = "A named shadow; the classic shadow when left out")
    String shadow = ShadowStore.CLASSIC;

    @Option(name = "-d", aliases = "--delta", description = "Only the delta: desired fields that differ from reported")
    boolean deltaOnly;

    @Reference(optional = true)
    ShadowStore store;

    @Reference
    Session session;

    @Override
    public Object execute() {
        ShadowJson.requireStore(store);
        ShadowDocument doc;
        try {
            doc = store.get(thing, shadow);
        } catch (ShadowException e) {
            throw ShadowJson.refusal(e);
        }
        session.getConsole().println(deltaOnly ? ShadowJson.write(doc.delta()) : ShadowJson.document(doc));
        return null;
    }
}
