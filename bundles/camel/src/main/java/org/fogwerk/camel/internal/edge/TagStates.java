package org.fogwerk.camel.internal.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * State per connection and tag, found without building a key per value: a map of connections
 * to maps of tags. Lookups of known tags allocate nothing.
 */
final class TagStates<S> {

    private final Map<String, Map<String, S>> byConnection = new ConcurrentHashMap<>();
    private final Supplier<S> factory;

    TagStates(Supplier<S> factory) {
        this.factory = factory;
    }

    /** The state of a tag, created on first use. */
    S get(String connectionId, String tag) {
        Map<String, S> tags = byConnection.get(connectionId);
        if (tags == null) {
            tags = byConnection.computeIfAbsent(connectionId, c -> new ConcurrentHashMap<>());
        }
        S state = tags.get(tag);
        if (state == null) {
            state = tags.computeIfAbsent(tag, t -> factory.get());
        }
        return state;
    }

    /** Visits every tag's state (connection id, tag, state) in no particular order. */
    void forEach(TagVisitor<S> visitor) {
        byConnection.forEach((connection, tags) -> tags.forEach((tag, state) -> visitor.visit(connection, tag, state)));
    }

    @FunctionalInterface
    interface TagVisitor<S> {
        void visit(String connectionId, String tag, S state);
    }
}
