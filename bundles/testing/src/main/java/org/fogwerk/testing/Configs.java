package org.fogwerk.testing;

import java.util.HashMap;
import java.util.Map;

import org.osgi.util.converter.Converters;

/**
 * Typed configuration ({@code @ObjectClassDefinition} interfaces) from properties, as
 * Declarative Services hands it to a component: keys with dots for the methods' underscores,
 * defaults for what is not given.
 */
public final class Configs {

    private Configs() {
    }

    public static <T> T typed(Class<T> type, Map<String, ?> properties) {
        return Converters.standardConverter().convert(properties).to(type);
    }

    /** The same from {@code key, value, key, value, ...}. */
    public static <T> T typed(Class<T> type, Object... keysAndValues) {
        return typed(type, map(keysAndValues));
    }

    /** A modifiable map of {@code key, value, key, value, ...}. */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
