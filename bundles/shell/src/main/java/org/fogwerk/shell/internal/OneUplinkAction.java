package org.fogwerk.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.fogwerk.api.uplink.Uplink;

/** A command on one uplink, named by its first argument. */
abstract class OneUplinkAction extends UplinkAction {

    @Argument(index = 0, name = "name", description = "The uplink name", required = true)
    @Completion(UplinkNameCompleter.class)
    String name;

    /** The uplink of that name; a clear refusal when there is none. */
    Uplink uplink() {
        return Uplinks.find(uplinks, name);
    }
}
