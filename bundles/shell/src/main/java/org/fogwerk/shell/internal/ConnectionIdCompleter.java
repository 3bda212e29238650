package org.fogwerk.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;

/** Completes the ids of the connections running in the node. */
@Service
public class ConnectionIdCompleter implements Completer {

    @Reference
    ConnectorRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        for (ConnectorInfo info : registry.connectors()) {
            ids.getStrings().add(info.id());
        }
        return ids.complete(session, commandLine, candidates);
    }
}
