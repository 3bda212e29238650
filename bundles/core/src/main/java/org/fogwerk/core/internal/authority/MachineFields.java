package org.fogwerk.core.internal.authority;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;

/**
 * What a shadow update may say about the fields that machines feed: which fields of a thing a
 * shadow holds, that no broker client reports what a machine reads, and that every desired value
 * can be written to its tag and will match what the machine reports. Each check answers why an
 * update is refused, or {@code null}; the write gateway refuses, counts and audits.
 */
record MachineFields(ThingRegistry things, ConnectorRegistry connectors) {

    /**
     * The reported value of a field mapped to a tag is what the machine reads: no client of a
     * broker (the command topic, the {@code $aws} topics, Sparkplug, where nobody logged in) may
     * report it, so none can make a shadow, and the MES or cloud reading it, believe a set point
     * or a state the machine does not have. Logged-in users (with their role) and the node's own
     * routes may, and so may the cloud shadow sync, an administrator's choice per thing, whose
     * merge keeps the node's value where both sides changed; fields of the thing that map to no
     * tag stay open to whoever the policy lets write them.
     */
    static String reportedRefusal(Caller caller, Thing thing, List<FieldMapping> placed,
            Map<String, Object> reported, boolean removeReported) {
        if (!caller.source().remote() || caller.source() == Source.AWS_CLOUD) {
            return null;
        }
        if (removeReported) {
            return "reported: the reported state of thing '" + thing.name() + "' holds what its machines read;"
                    + " " + caller.source().id() + " may not remove it";
        }
        for (String field : reported.keySet()) {
            // the field itself, a part of a mapped object, or an object holding mapped fields
            FieldMapping m = placed.stream()
                    .filter(f -> f.field().equals(field) || field.startsWith(f.field() + ".")
                            || f.field().startsWith(field + "."))
                    .findFirst().orElse(null);
            if (m != null) {
                return "reported." + field + ": this is what tag " + m.connectionId() + "/" + m.tag()
                        + " reads; " + caller.source().id() + " may not report it";
            }
        }
        return null;
    }

    /** Why a desired value cannot be written to the machine, or {@code null} when every one can. */
    String commandRefusal(Thing thing, List<FieldMapping> placed, Map<String, Object> desired) {
        for (Map.Entry<String, Object> e : desired.entrySet()) {
            if (e.getValue() == null) {
                continue; // removes the wish, writes nothing
            }
            String field = e.getKey();
            FieldMapping mapping = mappingOf(placed, field);
            if (mapping == null) {
                FieldMapping elsewhere = mappingOf(thing.mappings(), field);
                if (elsewhere != null) {
                    // its reported value is in the other shadow: here the delta would never clear
                    String other = things.shadowOf(thing, elsewhere);
                    return "desired." + field + ": tag " + elsewhere.connectionId() + "/" + elsewhere.tag()
                            + " reports in " + WriteGatewayImpl.shadowName(other) + " of thing '" + thing.name()
                            + "': set its desired state there";
                }
                return "desired." + field + ": thing '" + thing.name() + "' has no field '" + field
                        + "' that maps to a machine tag";
            }
            if (!mapping.field().equals(field)) {
                return "desired." + mapping.field() + ": must be a single value for tag " + mapping.connectionId()
                        + "/" + mapping.tag() + ", not an object";
            }
            Optional<TagDefinition> def = connectors.tag(mapping.connectionId(), mapping.tag());
            if (def.isEmpty()) {
                return "desired." + field + ": tag " + mapping.connectionId() + "/" + mapping.tag()
                        + " is not available (connection " + mapping.connectionId() + " is not running or has no such tag)";
            }
            try {
                def.get().checkWrite(e.getValue());
            } catch (IllegalArgumentException ex) {
                return "desired." + field + ": " + ex.getMessage();
            }
            String kind = jsonKindRefusal(def.get(), e.getValue());
            if (kind != null) {
                return "desired." + field + ": " + kind;
            }
        }
        return null;
    }

    /**
     * Desired state is compared with what the machine reports, value for value: a set point
     * sent as text, or a flag as 1, would be written to the machine but never match its report,
     * so the delta would stay for ever. The JSON kind must be the one the tag reports; a
     * numeric tag that allows NaN or infinity takes them as text, as they are reported.
     */
    private static String jsonKindRefusal(TagDefinition def, Object value) {
        DataType type = def.dataType();
        String expected;
        if (type.isNumeric()) {
            if (value instanceof Number || value instanceof String && isNonFinite((String) value)) {
                return null;
            }
            expected = "a JSON number";
        } else if (type == DataType.BOOLEAN) {
            if (value instanceof Boolean) {
                return null;
            }
            expected = "true or false";
        } else if (type == DataType.STRING) {
            if (value instanceof String) {
                return null;
            }
            expected = "a JSON string";
        } else {
            return null;
        }
        String given = value instanceof String ? "the text '" + value + "'" : "the value " + value;
        return "tag " + def.name() + " is " + type.name().toLowerCase(Locale.ROOT) + ": send " + expected + ", not "
                + given + " (the machine reports " + expected + ", so anything else would never match it)";
    }

    private static boolean isNonFinite(String text) {
        try {
            return !Double.isFinite(Double.parseDouble(text.trim()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The mappings whose fields the thing keeps in this shadow: all of them in the thing's own
     * shadow, or for the implicit thing of a large machine those whose tags report in it.
     */
    List<FieldMapping> placedIn(Thing thing, String shadow) {
        if (thing.mappings().isEmpty()) {
            return List.of();
        }
        if (!thing.implicit()) {
            return thing.shadow().equals(shadow) ? thing.mappings() : List.of();
        }
        List<FieldMapping> placed = new ArrayList<>();
        for (FieldMapping m : thing.mappings()) {
            if (things.shadowOf(thing, m).equals(shadow)) {
                placed.add(m);
            }
        }
        return placed;
    }

    private static FieldMapping mappingOf(List<FieldMapping> mappings, String leaf) {
        for (FieldMapping m : mappings) {
            if (m.field().equals(leaf) || leaf.startsWith(m.field() + ".")) {
                return m;
            }
        }
        return null;
    }

    String topField(String thing, String shadow, String leaf) {
        Optional<Thing> t = things.thing(thing);
        if (t.isPresent() && t.get().shadow().equals(shadow)) {
            FieldMapping m = mappingOf(t.get().mappings(), leaf);
            if (m != null) {
                return m.field();
            }
        }
        return leaf;
    }
}
