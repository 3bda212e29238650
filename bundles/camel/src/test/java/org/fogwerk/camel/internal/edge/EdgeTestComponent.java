package org.fogwerk.camel.internal.edge;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** Serves {@code fogwerk:edge/<kind>} URIs the way the fogwerk component does, for routes in tests. */
final class EdgeTestComponent extends DefaultComponent {

    final AlarmJournal alarms = new AlarmJournal();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String kind = remaining.startsWith("edge/") ? remaining.substring("edge/".length()) : remaining;
        Endpoint e = EdgeEndpoints.create(uri, this, kind, parameters, alarms);
        if (e == null) {
            throw new IllegalArgumentException("unknown endpoint " + uri);
        }
        return e;
    }
}
