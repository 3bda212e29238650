package org.fogwerk.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;

/** The shadows a thing's fields are in: its own, or for a large machine the classic one and the named ones. */
final class ThingShadows {

    private ThingShadows() {
    }

    /** Every shadow of the thing, its own first. */
    static List<String> all(ThingRegistry things, Thing t) {
        Set<String> shadows = new LinkedHashSet<>();
        shadows.add(t.shadow());
        for (FieldMapping m : t.mappings()) {
            shadows.add(things.shadowOf(t, m));
        }
        return new ArrayList<>(shadows);
    }

    /** {@code (classic)} or the name. */
    static String name(String shadow) {
        return shadow.isEmpty() ? "(classic)" : shadow;
    }

    /** One shadow by name, or {@code (classic) + 98 named (tags-2 .. tags-99)}. */
    static String summary(List<String> shadows) {
        String first = name(shadows.get(0));
        if (shadows.size() == 1) {
            return first;
        }
        return first + " + " + (shadows.size() - 1) + " named (" + shadows.get(1)
                + (shadows.size() > 2 ? " .. " + shadows.get(shadows.size() - 1) : "") + ")";
    }
}
