package org.fogwerk.shadow.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The objects one update has made for the new shadow. The stored shadow is shared by its readers
 * and never changes: an object on the way to a field the update changes is copied (its entries,
 * not what they hold) the first time the update reaches it, and changed in place after that, so
 * an update of many fields copies each object once.
 */
final class Copies {

    private final Set<ObjectNode> made = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A copy of {@code node} that this update may change; {@code null} for none. */
    ObjectNode of(ObjectNode node) {
        if (node == null || made.contains(node)) {
            return node;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        copy.setAll(node);
        made.add(copy);
        return copy;
    }

    /**
     * The object under {@code key} of {@code parent} (an object this update may change), in a form
     * this update may change, put in its place; a new empty object where there is none or the
     * field is not an object.
     */
    ObjectNode child(ObjectNode parent, String key) {
        if (parent.get(key) instanceof ObjectNode o) {
            ObjectNode child = of(o);
            parent.set(key, child);
            return child;
        }
        return created(parent, key);
    }

    /** A new empty object, made by this update. */
    ObjectNode created() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        made.add(node);
        return node;
    }

    /** A new empty object put under {@code key} of {@code parent}, whatever was there. */
    ObjectNode created(ObjectNode parent, String key) {
        ObjectNode node = created();
        parent.set(key, node);
        return node;
    }
}
