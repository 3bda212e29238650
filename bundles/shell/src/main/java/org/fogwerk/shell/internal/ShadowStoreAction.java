package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.support.shell.AnsweringAction;

/**
 * What the commands on a thing's shadows share: the thing argument, and the store's refusals
 * shown as one line with the service's error code.
 */
abstract class ShadowStoreAction extends AnsweringAction {

    @Argument(index = 0, name = "thing", required = true, description = "The thing name")
    @Completion(ThingNameCompleter.class)
    String thing;

    // optional, so that the other fogwerk commands register while the store is away
    @Reference(optional = true)
    ShadowStore store;

    @Override
    protected final Object answer() {
        ShadowJson.requireStore(store);
        try {
            return run(store);
        } catch (ShadowException e) {
            throw ShadowJson.refusal(e);
        }
    }

    /** Does the work and returns what to print. */
    abstract String run(ShadowStore store) throws ShadowException;
}
