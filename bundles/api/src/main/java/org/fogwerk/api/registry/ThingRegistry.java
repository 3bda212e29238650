package org.fogwerk.api.registry;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The things of the node, from {@code etc/org.fogwerk.thing-<name>.cfg} files, plus one implicit
 * thing per connection that no thing configuration mentions, plus the node's own thing (named
 * after the node's id, type {@value org.fogwerk.api.NodeIdentity#THING_TYPE}, no tags, shadow
 * {@value org.fogwerk.api.NodeIdentity#SHADOW}) unless a thing file takes that name.
 */
@ProviderType
public interface ThingRegistry {

    /** Every thing, sorted by name. */
    List<Thing> things();

    Optional<Thing> thing(String name);

    /** The things and fields a tag feeds; empty when it feeds none. */
    List<Target> targets(String connectionId, String tag);

    /**
     * Where a tag's values go.
     *
     * @param thing  the thing name
     * @param shadow the shadow name, empty for classic
     * @param field  the dotted field path
     */
    record Target(String thing, String shadow, String field) {
    }
}
