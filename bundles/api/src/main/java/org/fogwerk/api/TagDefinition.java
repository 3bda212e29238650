package org.fogwerk.api;

import java.util.Map;
import java.util.Objects;

/**
 * A tag as configured for a connection: its name on the node, where it lives on the machine,
 * its type and what may be done with it.
 *
 * @param name        the tag's name on the node, unique within its connection
 * @param address     the protocol's address: an OPC UA node id, a Modbus register reference
 * @param dataType    the machine-side type
 * @param access      whether the node may write it
 * @param unit        engineering unit, may be empty
 * @param description free text, may be empty
 * @param min         lowest value a write may set, or {@code null}
 * @param max         highest value a write may set, or {@code null}
 * @param attributes  protocol specific settings (sampling interval, byte order, poll group ...);
 *                    {@value #ALLOW_NON_FINITE}{@code =true} lets writes set NaN and Infinity
 */
public record TagDefinition(String name, String address, DataType dataType, Access access, String unit,
        String description, Double min, Double max, Map<String, String> attributes) {

    /**
     * Attribute that lets writes set NaN, +Infinity and -Infinity on a floating point tag; without
     * it they are refused, since NaN passes every min/max comparison and a machine may act on it.
     */
    public static final String ALLOW_NON_FINITE = "allow.nonfinite";

    /**
     * Attribute ({@code true}) of a tag whose data type the connection learns from the machine and
     * has not learnt yet (OPC UA reads it when it connects): {@link #dataType()} is a stand-in
     * then, and writes are refused, since a value cannot be checked against a type nobody knows.
     */
    public static final String TYPE_UNKNOWN = "type.unknown";

    public TagDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a tag needs a name");
        }
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(access, "access");
        unit = unit == null ? "" : unit;
        description = description == null ? "" : description;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        if (min != null && min.isNaN() || max != null && max.isNaN()) {
            throw new IllegalArgumentException("tag " + name + ": min and max must be numbers, not NaN");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("tag " + name + ": min " + min + " is greater than max " + max);
        }
    }

    /** A read-only tag with no unit, limits or attributes. */
    public static TagDefinition readOnly(String name, String address, DataType dataType) {
        return new TagDefinition(name, address, dataType, Access.READ, "", "", null, null, Map.of());
    }

    /** Whether writes may set NaN and Infinity ({@value #ALLOW_NON_FINITE}{@code =true}). */
    public boolean allowsNonFinite() {
        return "true".equalsIgnoreCase(attributes.getOrDefault(ALLOW_NON_FINITE, "").trim());
    }

    /** Whether the data type is the machine's, not a stand-in ({@value #TYPE_UNKNOWN}{@code =true}). */
    public boolean typeKnown() {
        return !"true".equalsIgnoreCase(attributes.getOrDefault(TYPE_UNKNOWN, "").trim());
    }

    /** The data type's name as users read it: {@code UNKNOWN} while the type is not known. */
    public String typeName() {
        return typeKnown() ? dataType.name() : "UNKNOWN";
    }

    public boolean writable() {
        return access == Access.READ_WRITE;
    }

    /**
     * Checks a value someone wants to write and converts it to this tag's type.
     *
     * @return the value in the tag's Java type
     * @throws IllegalArgumentException naming the tag and why the write is refused
     */
    public Object checkWrite(Object value) {
        if (!writable()) {
            throw new IllegalArgumentException("tag " + name + " is read-only");
        }
        if (!typeKnown()) {
            throw new IllegalArgumentException("tag " + name + ": its data type is not known until the connection"
                    + " has read it from the machine (it has not connected yet)");
        }
        Object coerced;
        try {
            coerced = dataType.coerce(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tag " + name + ": " + e.getMessage());
        }
        if (coerced instanceof Number) {
            double d = ((Number) coerced).doubleValue();
            if (!Double.isFinite(d) && !allowsNonFinite()) {
                throw new IllegalArgumentException("tag " + name + ": " + value + " is not a finite number (the tag"
                        + " does not allow NaN or Infinity)");
            }
            if (dataType == DataType.FLOAT && Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE) {
                // written as a float32 it would reach the machine as Infinity
                throw new IllegalArgumentException("tag " + name + ": " + value + " is outside the range of a float32"
                        + " (at most " + Float.MAX_VALUE + " either way)");
            }
            if (min != null && d < min) {
                throw new IllegalArgumentException("tag " + name + ": " + value + " is below the minimum " + min);
            }
            if (max != null && d > max) {
                throw new IllegalArgumentException("tag " + name + ": " + value + " is above the maximum " + max);
            }
        }
        return coerced;
    }
}
