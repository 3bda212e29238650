package org.fogwerk.simulator.internal;

import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.DataType;

/**
 * Where each catalog tag lives in the Modbus data model: read-only booleans in discrete
 * inputs, read-only numbers and strings in input registers, writable booleans in coils,
 * writable numbers and strings in holding registers. Addresses are 0-based and run on
 * consecutively per area in catalog order; a tag takes {@link RegisterCodec#size} registers.
 */
final class ModbusLayout {

    enum Area {
        COIL("coil"), DISCRETE_INPUT("discrete-input"), INPUT_REGISTER("input-register"),
        HOLDING_REGISTER("holding-register");

        private final String label;

        Area(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /**
     * @param area    the data area
     * @param address 0-based address of the (first) bit or register
     * @param size    bits or registers it takes
     */
    record Slot(Area area, int address, int size) {

        /** For example {@code input-register 12}. */
        String label() {
            return area.label() + " " + address;
        }
    }

    private final List<Slot> slots;
    private final int[] areaSizes = new int[Area.values().length];

    ModbusLayout(List<CatalogTag> catalog) {
        List<Slot> made = new ArrayList<>(catalog.size());
        for (CatalogTag tag : catalog) {
            boolean bit = tag.type() == DataType.BOOLEAN;
            Area area = bit ? (tag.writable() ? Area.COIL : Area.DISCRETE_INPUT)
                    : (tag.writable() ? Area.HOLDING_REGISTER : Area.INPUT_REGISTER);
            int size = bit ? 1 : RegisterCodec.size(tag.type());
            made.add(new Slot(area, areaSizes[area.ordinal()], size));
            areaSizes[area.ordinal()] += size;
        }
        slots = List.copyOf(made);
    }

    Slot slot(CatalogTag tag) {
        return slots.get(tag.index());
    }

    /** Bits or registers used in an area. */
    int size(Area area) {
        return areaSizes[area.ordinal()];
    }
}
