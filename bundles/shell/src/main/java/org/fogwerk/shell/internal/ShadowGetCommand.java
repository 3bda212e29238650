package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-get",
        description = "Prints a thing's shadow: desired, reported and delta state, metadata and version")
public class ShadowGetCommand extends ShadowAction {

    @Override
    final String run(ShadowStore store) throws ShadowException {
        return show(store.get(thing, shadow));
    }

    /** What of the shadow the command prints: all of it. */
    String show(ShadowDocument document) {
        return ShadowJson.document(document);
    }
}
