package org.fogwerk.connector.modbus.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;

/**
 * One configured Modbus tag. Engineering value = raw * scale + offset, see {@link Scaling}.
 *
 * @param address 0-based protocol address
 */
record TagSpec(String name, int unitId, Area area, int address, ModbusType type, WordOrder order, Scaling scaling,
        double deadband, Access access, Double min, Double max, String group, String unit) {

    TagSpec(String name, int unitId, Area area, int address, ModbusType type, WordOrder order, double scale,
            double offset, double deadband, Access access, Double min, Double max, String group, String unit) {
        this(name, unitId, area, address, type, order, scale == 1.0 && offset == 0.0 ? Scaling.NONE
                : new Scaling(scale, offset), deadband, access, min, max, group, unit);
    }

    boolean scaled() {
        return scaling.scaled();
    }

    /** The last register (or coil) the tag occupies. */
    int end() {
        return address + (area.bits() ? 1 : type.registers()) - 1;
    }

    /** The type the node sees: DOUBLE when a number is scaled. */
    DataType dataType() {
        DataType t = type.dataType();
        return scaled() && t.isNumeric() ? DataType.DOUBLE : t;
    }

    /** Human and shell form of the place: {@code 1/holding/0}. */
    String place() {
        return unitId + "/" + area.label() + "/" + address;
    }

    TagDefinition definition() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("unit.id", Integer.toString(unitId));
        attrs.put("area", area.label());
        attrs.put("register", Integer.toString(address));
        attrs.put("type", type.toString());
        attrs.put("order", order.name());
        attrs.put("group", group);
        if (scaled()) {
            attrs.put("scale", Double.toString(scaling.scale()));
            attrs.put("offset", Double.toString(scaling.offset()));
        }
        if (deadband > 0) {
            attrs.put("deadband", Double.toString(deadband));
        }
        return new TagDefinition(name, place(), dataType(), access, unit, "", min, max, attrs);
    }

    /** Raw machine value to what the node publishes. */
    Object toEngineering(Object raw) {
        if (!scaled() || !(raw instanceof Number)) {
            return raw;
        }
        return raw instanceof Long l ? scaling.value(l.longValue()) : scaling.value(((Number) raw).doubleValue());
    }

    /**
     * A node value (already checked against the definition) to the machine's raw value.
     *
     * @throws IllegalArgumentException when the raw value does not fit the machine type
     */
    Object toRaw(Object engineering) {
        if (type.isBoolean()) {
            return engineering;
        }
        if (type.kind() == ModbusType.Kind.STRING) {
            String s = engineering.toString();
            if (s.length() > type.size()) {
                throw new IllegalArgumentException("tag " + name + ": '" + s + "' is longer than " + type.size()
                        + " characters");
            }
            return s;
        }
        double d = ((Number) engineering).doubleValue();
        if (!type.isInteger()) {
            return scaled() ? scaling.fractionalRaw(d) : d;
        }
        if (!scaled() && (engineering instanceof Long || engineering instanceof java.math.BigInteger)) {
            // a BigInteger: a uint64 above Long.MAX_VALUE, encoded from its low 64 bits
            return type.dataType().coerce(engineering);
        }
        long r = scaled() ? scaling.wholeRaw(d) : Math.round(d);
        try {
            return type.dataType().coerce(r);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tag " + name + ": raw value " + r + " for " + engineering + ": "
                    + e.getMessage());
        }
    }
}
