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
     * The shadow of the thing that holds the field of this mapping: the thing's own shadow, or for
     * the implicit thing of a large machine, whose fields are spread over named shadows, the one
     * the tag reports in. Desired state for the field belongs in the same shadow.
     *
     * @since 1.2
     */
    default String shadowOf(Thing thing, FieldMapping mapping) {
        for (Target target : targets(mapping.connectionId(), mapping.tag())) {
            if (target.thing().equals(thing.name()) && target.field().equals(mapping.field())) {
                return target.shadow();
            }
        }
        return thing.shadow();
    }

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
