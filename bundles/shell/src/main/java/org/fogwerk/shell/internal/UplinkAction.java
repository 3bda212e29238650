package org.fogwerk.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.support.shell.AnsweringAction;

/** What the uplink commands share: the node's uplinks and the tag bus that feeds them. */
abstract class UplinkAction extends AnsweringAction {

    // optional, so that the commands register, and say so, on a node without uplinks
    @Reference(optional = true)
    List<Uplink> uplinks;

    @Reference(optional = true)
    TagBus bus;
}
