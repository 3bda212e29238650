package org.fogwerk.camel.internal.component;

import java.util.Map;

import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.Uplink;

/**
 * What the {@code fogwerk:} component needs from the node: the registries and stores of the
 * Fogwerk API, and a way to put listeners on the tag bus and the shadow store. In the container
 * the listeners become OSGi services (whiteboard); tests attach them to real instances directly.
 */
public interface FogwerkServices {

    ThingRegistry things();

    ShadowStore shadows();

    ConnectorRegistry connectors();

    /** The node's write gateway, {@code null} while it is away: then routes cannot write. */
    WriteGateway gateway();

    TagBus bus();

    /** The uplinks of the node by name, as they come and go. */
    Map<String, Uplink> uplinks();

    /**
     * Puts a listener on the tag bus with the given service properties (its name as
     * {@code component.name}, its queue size as {@link TagListener#QUEUE_CAPACITY_PROPERTY}).
     */
    Registration addTagListener(TagListener listener, Map<String, Object> properties);

    Registration addShadowListener(ShadowListener listener);

    /** Takes a listener off again; idempotent. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
