package org.fogwerk.connector.opcua.internal.shell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.support.shell.NameCompleter;
import org.osgi.framework.BundleContext;

/** Completes the ids of the OPC UA connections. */
@Service
public class ConnectionCompleter extends NameCompleter {

    @Reference
    BundleContext bundleContext;

    @Override
    protected Collection<String> names() {
        List<String> ids = new ArrayList<>();
        Connections.all(bundleContext).forEach(c -> ids.add(c.id()));
        return ids;
    }
}
