package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.fogwerk.api.shadow.ShadowStore;

/** A command on one shadow of a thing, named by the optional second argument. */
abstract class ShadowAction extends ShadowStoreAction {

    @Argument(index = 1, name = "shadow", description = "A named shadow; the classic shadow when left out")
    String shadow = ShadowStore.CLASSIC;
}
