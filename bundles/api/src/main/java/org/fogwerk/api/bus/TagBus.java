package org.fogwerk.api.bus;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fogwerk.api.TagValue;
import org.osgi.annotation.versioning.ProviderType;

/** The node's in-process tag bus, seen from outside: counters and the latest value of every tag. */
@ProviderType
public interface TagBus {

    /** Counters over all connections. */
    Counters total();

    /** Counters per connection id. */
    Map<String, Counters> connections();

    /** Counters per listener (by its {@code component.name} or class name). */
    Map<String, Counters> listeners();

    /**
     * Values each listener dropped because its queue was full (or it failed on them), by listener and
     * then by the connection the values came from; listeners without drops are left out.
     *
     * @since 1.2
     */
    default Map<String, Map<String, Long>> listenerDrops() {
        return Map.of();
    }

    /** The latest value of every tag of a connection, sorted by tag name. */
    List<TagValue> latest(String connectionId);

    Optional<TagValue> latest(String connectionId, String tag);
}
