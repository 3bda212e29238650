package org.fogwerk.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;

/** Completes the names of the things the node knows and of those with a stored shadow. */
@Service
public class ThingNameCompleter implements Completer {

    @Reference
    ThingRegistry things;

    @Reference(optional = true)
    ShadowStore store;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (Thing t : things.things()) {
            names.getStrings().add(t.name());
        }
        if (store != null) {
            names.getStrings().addAll(store.things());
        }
        return names.complete(session, commandLine, candidates);
    }
}
