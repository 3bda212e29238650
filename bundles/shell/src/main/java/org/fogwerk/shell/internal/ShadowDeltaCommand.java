package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;

@Service
@Command(scope = "fogwerk", name = "shadow-delta",
        description = "Prints the desired fields of a thing's shadow that the machine has not reported yet")
public class ShadowDeltaCommand extends ShadowAction {

    @Override
    String run(ShadowStore store) throws ShadowException {
        return ShadowJson.write(store.get(thing, shadow).delta());
    }
}
