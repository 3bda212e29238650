package org.fogwerk.update.internal.shell;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.fogwerk.support.shell.AnsweringAction;
import org.fogwerk.update.internal.NodeUpdater;

/** What the node's software commands share: the updater that orders, follows and reports the node's features. */
abstract class NodeAction extends AnsweringAction {

    @Reference
    NodeUpdater updates;
}
