package org.fogwerk.camel.internal.component;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.fogwerk.camel.internal.edge.AlarmJournal;
import org.fogwerk.camel.internal.edge.EdgeEndpoints;
import org.fogwerk.camel.internal.edge.EdgeFilters;

/**
 * The {@code fogwerk:} Camel component: the node's tags, shadows, machine writes and uplinks
 * as Camel endpoints, over the Fogwerk API only, and the edge-processing steps
 * ({@code fogwerk:edge/<kind>}). The endpoints declare their options as {@code @UriParam}s,
 * which Camel sets; the filter options of {@code fogwerk:tags} and the edge steps' options are
 * read here, with messages that name the option and say what is wrong.
 */
public final class FogwerkComponent extends DefaultComponent {

    /** The scheme routes use. */
    public static final String SCHEME = "fogwerk";

    static final int DEFAULT_QUEUE = 10_000;

    private final FogwerkServices services;
    private final AlarmJournal alarms;

    public FogwerkComponent(FogwerkServices services) {
        this(services, new AlarmJournal());
    }

    /** With alarm steps that record their events in {@code alarms}. */
    public FogwerkComponent(FogwerkServices services, AlarmJournal alarms) {
        this.services = services;
        this.alarms = alarms;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String path = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        String[] parts = path.split("/", -1);
        Endpoint endpoint;
        switch (parts[0]) {
            case "tags":
                requireParts(uri, parts, 1, 1, "fogwerk:tags?thing=<pattern>&tag=<pattern>");
                endpoint = new TagsEndpoint(uri, this, services, EdgeFilters.fromParameters(parameters));
                break;
            case "shadow-delta":
                requireParts(uri, parts, 1, 1, "fogwerk:shadow-delta?thing=<pattern>");
                endpoint = new ShadowDeltaEndpoint(uri, this, services);
                break;
            case "shadow":
                requireParts(uri, parts, 2, 3, "fogwerk:shadow/<thing>[/<shadow>]");
                endpoint = new ShadowEndpoint(uri, this, services, name(uri, parts[1], "thing"),
                        parts.length == 3 ? name(uri, parts[2], "shadow") : "");
                break;
            case "write":
                requireParts(uri, parts, 3, 3, "fogwerk:write/<connection>/<tag>");
                endpoint = new WriteEndpoint(uri, this, services, name(uri, parts[1], "connection"),
                        name(uri, parts[2], "tag"));
                break;
            case "uplink":
                requireParts(uri, parts, 2, 2, "fogwerk:uplink/<name>");
                endpoint = new UplinkEndpoint(uri, this, services, name(uri, parts[1], "uplink"));
                break;
            case "edge":
                requireParts(uri, parts, 2, 2, "fogwerk:edge/<kind>");
                endpoint = EdgeEndpoints.create(uri, this, parts[1], parameters, alarms);
                break;
            default:
                endpoint = null;
        }
        if (endpoint == null) {
            throw new IllegalArgumentException("unknown fogwerk endpoint '" + uri + "': use fogwerk:tags, "
                    + "fogwerk:shadow-delta, fogwerk:shadow/<thing>, fogwerk:write/<connection>/<tag>, "
                    + "fogwerk:uplink/<name> or fogwerk:edge/<kind>");
        }
        return endpoint;
    }

    /** The check of a whole-number option once Camel has set it. */
    static void checkRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + "=" + value + " is outside " + min + ".." + max);
        }
    }

    private static void requireParts(String uri, String[] parts, int min, int max, String form) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException("'" + uri + "' does not have the form " + form);
        }
    }

    private static String name(String uri, String part, String what) {
        if (part.isBlank()) {
            throw new IllegalArgumentException("'" + uri + "' names no " + what);
        }
        return part;
    }
}
