package org.fogwerk.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.core.standalone.StandaloneCore;

/**
 * The node's real core as DS would wire it, for the end-to-end benchmarks: tag bus, connector
 * registry, thing registry and the reported-state writer into the given shadow store.
 */
public class ReportingCore extends StandaloneCore {

    private final ReportedState reported;

    public ReportingCore(ShadowStore store) {
        // the defaults of etc/org.fogwerk.core.reported.cfg
        var writer = reportedState(store, Map.of());
        reported = writer;
        addListener(writer, Map.of("component.name", "reported-state", TagListener.QUEUE_CAPACITY_PROPERTY,
                100_000));
    }

    public long shadowWrites() {
        return reported.writes();
    }

    /**
     * A configured thing, as etc/org.fogwerk.thing-&lt;name&gt;.cfg would declare it: one field per tag
     * of the connection (dots of tag names become '_').
     */
    public void addThing(String name, String connectionId, List<String> tags) {
        Map<String, Object> props = new HashMap<>();
        props.put("felix.fileinstall.filename", "etc/org.fogwerk.thing-" + name + ".cfg");
        for (String tag : tags) {
            props.put("map." + tag.replace('.', '_'), connectionId + "/" + tag);
        }
        addThing(props);
    }

    /** The thing a tag value belongs to, as the uplink component asks the thing registry. */
    public String thingOf(String connectionId, String tag) {
        List<ThingRegistry.Target> targets = things().targets(connectionId, tag);
        return targets.isEmpty() ? connectionId : targets.get(0).thing();
    }
}
