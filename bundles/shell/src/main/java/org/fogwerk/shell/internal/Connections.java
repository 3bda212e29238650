package org.fogwerk.shell.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;

/** The connections running in the node, as the commands name them. */
final class Connections {

    private Connections() {
    }

    /** The ids of the connections, in the registry's order. */
    static List<String> ids(ConnectorRegistry registry) {
        List<String> ids = new ArrayList<>();
        for (ConnectorInfo info : registry.connectors()) {
            ids.add(info.id());
        }
        return ids;
    }

    /** The refusal of a connection id the node does not know, naming the ones it knows. */
    static IllegalArgumentException unknown(String id, Collection<String> known) {
        return new IllegalArgumentException("no connection named '" + id + "'"
                + (known.isEmpty() ? " (none are configured)" : " (known: " + String.join(", ", known) + ")"));
    }
}
