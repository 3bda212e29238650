package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.shadow.ShadowDocument;

/** {@code shadow-get} narrowed to the delta. */
@Service
@Command(scope = "fogwerk", name = "shadow-delta",
        description = "Prints the desired fields of a thing's shadow that the machine has not reported yet")
public class ShadowDeltaCommand extends ShadowGetCommand {

    @Override
    String show(ShadowDocument document) {
        return ShadowJson.write(document.delta());
    }
}
