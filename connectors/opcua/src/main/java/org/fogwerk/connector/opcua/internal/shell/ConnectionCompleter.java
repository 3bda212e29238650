package org.fogwerk.connector.opcua.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.osgi.framework.BundleContext;

/** Completes the ids of the OPC UA connections. */
@Service
public class ConnectionCompleter implements Completer {

    @Reference
    BundleContext bundleContext;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        Connections.all(bundleContext).forEach(c -> delegate.getStrings().add(c.id()));
        return delegate.complete(session, commandLine, candidates);
    }
}
