package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.support.config.ConfigurationFile;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thing configuration file. A bad file still activates, so the thing registry can show
 * its error; it contributes no mappings until it is fixed.
 */
@Component(service = ThingSource.class, configurationPid = ThingSource.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = ConfigurationNames.OPEN_KEYS_PROPERTY + "=map.,attribute.")
@Designate(ocd = ThingConfig.class, factory = true)
public final class ThingSource {

    static final String PID = "org.fogwerk.thing";
    private static final Logger LOG = LoggerFactory.getLogger(ThingSource.class);
    private static final String MAP_PREFIX = "map.";
    private static final String ATTRIBUTE_PREFIX = "attribute.";

    private final Thing thing;
    private final String source;

    @Activate
    public ThingSource(ThingConfig config, Map<String, Object> properties) {
        String source = source(properties);
        this.source = source;
        String name = config.name().isBlank() ? instanceName(properties) : config.name().trim();
        String refusal = ConfigurationFile.notText(properties).orElse(null);
        Thing parsed = null;
        if (refusal == null) {
            try {
                parsed = parse(name, config, properties, source);
            } catch (IllegalArgumentException e) {
                refusal = source + ": " + e.getMessage();
            }
        }
        if (parsed == null) {
            LOG.error("Thing configuration refused: {}", refusal);
            parsed = new Thing(name, config.type(), Map.of(), config.shadow(), List.of(), false, refusal);
        }
        this.thing = parsed;
    }

    Thing thing() {
        return thing;
    }

    /** The file the thing comes from, as {@code etc/<file>}. */
    String source() {
        return source;
    }

    static Thing parse(String name, ThingConfig config, Map<String, Object> properties, String source) {
        checkName("name", name, 128);
        String shadow = config.shadow().trim();
        if (!shadow.isEmpty()) {
            checkName("shadow", shadow, 64);
        }
        Map<String, String> attributes = new TreeMap<>();
        List<FieldMapping> mappings = new ArrayList<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            String value = String.valueOf(e.getValue()).trim();
            if (key.startsWith(ATTRIBUTE_PREFIX)) {
                attributes.put(key.substring(ATTRIBUTE_PREFIX.length()), value);
            } else if (key.startsWith(MAP_PREFIX)) {
                mappings.add(mapping(key, key.substring(MAP_PREFIX.length()), value));
            }
        }
        checkNoOverlap(mappings);
        return new Thing(name, config.type().trim(), attributes, shadow, mappings, false, "");
    }

    private static FieldMapping mapping(String key, String field, String value) {
        if (field.isEmpty() || field.startsWith(".") || field.endsWith(".") || field.contains("..")) {
            throw new IllegalArgumentException(key + " is invalid: the field must be a dotted path like spindle.speed");
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw new IllegalArgumentException(key + " = " + value + " is invalid: use <connection>/<tag>");
        }
        return new FieldMapping(field, value.substring(0, slash).trim(), value.substring(slash + 1).trim());
    }

    /** A field cannot be both a value and an object holding other fields. */
    private static void checkNoOverlap(List<FieldMapping> mappings) {
        for (FieldMapping a : mappings) {
            for (FieldMapping b : mappings) {
                if (a != b && b.field().startsWith(a.field() + ".")) {
                    throw new IllegalArgumentException("map." + a.field() + " and map." + b.field()
                            + " overlap: a field cannot hold a value and other fields");
                }
            }
        }
    }

    private static void checkName(String key, String name, int maxLength) {
        String problem = ConfigurationNames.checkName(name, maxLength);
        if (problem != null) {
            throw new IllegalArgumentException(key + " = " + problem);
        }
    }

    private static String source(Map<String, Object> properties) {
        Object file = properties.get(ConfigurationNames.FILE_PROPERTY);
        if (file != null) {
            String f = file.toString();
            int slash = f.lastIndexOf('/');
            return "etc/" + f.substring(slash + 1);
        }
        return String.valueOf(properties.getOrDefault("service.pid", PID));
    }

    /** {@code etc/org.fogwerk.thing-press01.cfg} gives {@code press01}. */
    static String instanceName(Map<String, Object> properties) {
        return ConfigurationNames.instanceName(properties)
                .orElse(String.valueOf(properties.getOrDefault("service.pid", "")));
    }
}
