package org.fogwerk.shell.internal;

import java.util.Collection;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.support.shell.NameCompleter;

/** Completes the ids of the connections running in the node. */
@Service
public class ConnectionIdCompleter extends NameCompleter {

    @Reference
    ConnectorRegistry registry;

    @Override
    protected Collection<String> names() {
        return Connections.ids(registry);
    }
}
