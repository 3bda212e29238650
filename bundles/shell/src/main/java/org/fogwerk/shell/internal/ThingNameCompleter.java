package org.fogwerk.shell.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.support.shell.NameCompleter;

/** Completes the names of the things the node knows and of those with a stored shadow. */
@Service
public class ThingNameCompleter extends NameCompleter {

    @Reference
    ThingRegistry things;

    @Reference(optional = true)
    ShadowStore store;

    @Override
    protected Collection<String> names() {
        List<String> names = new ArrayList<>();
        for (Thing t : things.things()) {
            names.add(t.name());
        }
        if (store != null) {
            names.addAll(store.things());
        }
        return names;
    }
}
