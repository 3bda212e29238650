package org.fogwerk.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;

/** Thing registries for the tests of what reads things, with no configuration behind them. */
public final class Things {

    private Things() {
    }

    /**
     * Every name a thing of the node's, a twin with no tags behind it; with {@code connectionThings}
     * each connection's tags are also fields (named like the tag) of the thing named like the connection.
     */
    public static ThingRegistry everyNameAThing(boolean connectionThings) {
        return new Registry(name -> Optional.of(new Thing(name, "", Map.of(), "", List.of(), false, "")),
                (connection, tag) -> connectionThings ? List.of(new ThingRegistry.Target(connection, "", tag))
                        : List.of());
    }

    /** No thing by name; each tag {@code t} of {@code connection} feeds field {@code t} of {@code thing}. */
    public static ThingRegistry fedBy(String connection, String thing) {
        return new Registry(name -> Optional.empty(),
                (connectionId, tag) -> connectionId.equals(connection)
                        ? List.of(new ThingRegistry.Target(thing, "", tag)) : List.of());
    }

    private record Registry(Function<String, Optional<Thing>> byName,
            BiFunction<String, String, List<ThingRegistry.Target>> fields) implements ThingRegistry {

        @Override public List<Thing> things() { return List.of(); }

        @Override public Optional<Thing> thing(String name) { return byName.apply(name); }

        @Override public List<Target> targets(String connectionId, String tag) { return fields.apply(connectionId, tag); }
    }
}
