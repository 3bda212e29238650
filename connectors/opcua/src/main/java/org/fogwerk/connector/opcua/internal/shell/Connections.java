package org.fogwerk.connector.opcua.internal.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.fogwerk.connector.opcua.internal.OpcUaConnection;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Finds the running OPC UA connections among the OSGi services. */
final class Connections {

    private Connections() {
    }

    static List<OpcUaConnection> all(BundleContext context) {
        List<OpcUaConnection> out = new ArrayList<>();
        try {
            for (ServiceReference<OpcUaConnection> ref : context.getServiceReferences(OpcUaConnection.class, null)) {
                OpcUaConnection c = context.getService(ref);
                if (c != null) {
                    out.add(c);
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        out.sort(Comparator.comparing(OpcUaConnection::id));
        return out;
    }

    static OpcUaConnection get(BundleContext context, String id) {
        return all(context).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no OPC UA connection '" + id + "' (have: "
                        + all(context).stream().map(OpcUaConnection::id).toList() + ")"));
    }
}
