package org.fogwerk.connector.modbus.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.fogwerk.api.Access;
import org.fogwerk.support.csv.TagTable;

/**
 * Reads tag lines: {@code name, unit id, area, address, type, order, scale, offset, deadband,
 * access, min, max, group, unit}. Only name, address and type are required; an empty unit id
 * takes the connection's {@code unit.id}; an empty area requires the classic 5/6-digit address
 * notation (0xxxx coil, 1xxxx discrete input, 3xxxx input register, 4xxxx holding register,
 * 1-based: 40001 = holding register 0). With an area, the address is 0-based. The rows come
 * from {@link TagTable} (quoting, {@code ,} or {@code ;}, comments and the header are handled
 * there).
 */
final class TagParser {

    static final String[] COLUMNS = {"name", "unit id", "area", "address", "type", "order", "scale", "offset",
        "deadband", "access", "min", "max", "group", "unit"};

    private final int defaultUnit;
    private final Set<String> groups;
    private final int maxRegisters;
    private final List<TagSpec> tags = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    /** Where each tag was defined, for the warnings about overlaps. */
    private final Map<String, String> places = new HashMap<>();

    TagParser(int defaultUnit, Set<String> groups, int maxRegisters) {
        this.defaultUnit = defaultUnit;
        this.groups = groups;
        this.maxRegisters = maxRegisters;
    }

    List<TagSpec> tags() {
        return tags;
    }

    /** Every problem, one line each, naming where ({@code source}) and which column. */
    List<String> errors() {
        return errors;
    }

    /**
     * Tags that read the same registers or bits of one unit and area, one line each naming both
     * and where they are defined: most often a typing error in an address. Bits of a register
     * ({@code bit(n)}) share it by design, with each other and with the register read whole, and
     * are not named. Not an error: reading a pair of registers also as two single ones can be meant.
     */
    List<String> overlaps() {
        List<TagSpec> sorted = new ArrayList<>(tags);
        sorted.sort(Comparator.comparingInt(TagSpec::unitId).thenComparing(TagSpec::area)
                .thenComparingInt(TagSpec::address).thenComparingInt(TagSpec::end));
        List<String> out = new ArrayList<>();
        TagSpec reach = null;
        for (TagSpec t : sorted) {
            boolean sameArea = reach != null && reach.unitId() == t.unitId() && reach.area() == t.area();
            if (sameArea && t.address() <= reach.end() && !bit(t) && !bit(reach)) {
                out.add(places.get(t.name()) + ": tag " + t.name() + " (" + t.area().label() + " " + t.address()
                        + ") reads what tag " + reach.name() + " (" + places.get(reach.name()) + ", " + reach.area().label()
                        + " " + reach.address() + ".." + reach.end() + ") reads too");
            }
            if (!sameArea || t.end() > reach.end()) {
                reach = t;
            }
        }
        return out;
    }

    private static boolean bit(TagSpec t) {
        return t.type().kind() == ModbusType.Kind.BIT;
    }

    /**
     * Parses the rows of one source.
     *
     * @param where   how an error names a line, e.g. {@code "etc/tags.csv line "} or {@code "tags entry "}
     */
    void parse(TagTable.Result table, String where) {
        String source = where.replaceFirst("(line|entry) $", "").strip();
        table.skipped().forEach(line -> errors.add(source + ": " + line));
        if (table.problem() != null) {
            errors.add(source + ": " + table.problem());
        }
        for (TagTable.Row row : table.rows()) {
            try {
                TagSpec t = parseLine(row.cells());
                if (!names.add(t.name())) {
                    throw new ColumnException(0, "tag " + t.name() + " is defined twice");
                }
                tags.add(t);
                places.put(t.name(), where + row.line());
            } catch (ColumnException e) {
                errors.add(where + row.line() + ", column " + (e.column + 1) + " (" + COLUMNS[e.column] + "): "
                        + e.getMessage());
            }
        }
    }

    private TagSpec parseLine(List<String> cells) {
        String[] f = cells.toArray(new String[0]);
        if (f.length > COLUMNS.length) {
            throw new ColumnException(COLUMNS.length - 1, "too many columns (" + f.length + ", at most "
                    + COLUMNS.length + ")");
        }
        String name = field(f, 0);
        if (name.isEmpty()) {
            throw new ColumnException(0, "a tag needs a name");
        }
        String nameProblem = TagTable.nameProblem(name);
        if (nameProblem != null) {
            throw new ColumnException(0, nameProblem);
        }
        int unit = defaultUnit;
        if (!field(f, 1).isEmpty()) {
            unit = intIn(f, 1, 0, 255);
        }
        String areaText = field(f, 2);
        String addrText = field(f, 3);
        if (addrText.isEmpty()) {
            throw new ColumnException(3, "an address is required");
        }
        Area area;
        int address;
        if (areaText.isEmpty()) {
            if (!addrText.matches("\\d{5,6}")) {
                throw new ColumnException(3, "'" + addrText + "': without an area, write the address as 5 or 6"
                        + " digits (0xxxx coil, 1xxxx discrete input, 3xxxx input, 4xxxx holding; 1-based)");
            }
            area = Area.forPrefix(addrText.charAt(0) - '0');
            int number = Integer.parseInt(addrText.substring(1));
            if (area == null || number < 1 || number > 65536) {
                throw new ColumnException(3, "'" + addrText + "' is not a 0xxxx, 1xxxx, 3xxxx or 4xxxx address");
            }
            address = number - 1;
        } else {
            area = parsed(f, 2, Area::parse);
            address = intIn(f, 3, 0, 65535);
        }
        ModbusType type = parsed(f, 4, ModbusType::parse);
        if (area.bits() && type.kind() != ModbusType.Kind.BOOL) {
            throw new ColumnException(4, "a " + area.label() + " holds a bool, not " + type);
        }
        int size = area.bits() ? 1 : type.registers();
        if (!area.bits() && size > maxRegisters) {
            throw new ColumnException(4, type + " takes " + size + " registers, more than max.registers "
                    + maxRegisters);
        }
        if (address + size > 65536) {
            throw new ColumnException(3, "address " + address + " + " + size + " is beyond 65535");
        }
        WordOrder order = field(f, 5).isEmpty() ? WordOrder.ABCD : parsed(f, 5, WordOrder::parse);
        double scale = dbl(f, 6, 1.0);
        if (scale == 0.0) {
            throw new ColumnException(6, "scale must not be 0");
        }
        double offset = dbl(f, 7, 0.0);
        double deadband = dbl(f, 8, 0.0);
        if (deadband < 0) {
            throw new ColumnException(8, "deadband must not be negative");
        }
        if ((scale != 1.0 || offset != 0.0) && !type.dataType().isNumeric()) {
            throw new ColumnException(6, "scale and offset apply to numbers, not " + type);
        }
        Access access = field(f, 9).isEmpty() ? Access.READ : parsed(f, 9, Access::parse);
        if (access == Access.READ_WRITE && !area.writable()) {
            throw new ColumnException(9, "a " + area.label() + " cannot be written (only coil and holding)");
        }
        Double min = field(f, 10).isEmpty() ? null : dbl(f, 10, 0);
        Double max = field(f, 11).isEmpty() ? null : dbl(f, 11, 0);
        if (min != null && max != null && min > max) {
            throw new ColumnException(11, "max " + max + " is below min " + min);
        }
        String group = field(f, 12).isEmpty() ? ModbusSettings.DEFAULT_GROUP : field(f, 12);
        if (!groups.contains(group)) {
            throw new ColumnException(12, "poll group '" + group + "' is not defined (poll.groups has "
                    + groups + ")");
        }
        return new TagSpec(name, unit, area, address, type, order, scale, offset, deadband, access, min, max, group,
                field(f, 13));
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i].strip() : "";
    }

    /** The field read by {@code parse}; what it refuses is an error of that column. */
    private static <T> T parsed(String[] f, int i, Function<String, T> parse) {
        try {
            return parse.apply(field(f, i));
        } catch (IllegalArgumentException e) {
            throw new ColumnException(i, e.getMessage());
        }
    }

    private static int intIn(String[] f, int i, int lo, int hi) {
        String s = field(f, i);
        try {
            int v = Integer.parseInt(s);
            if (v < lo || v > hi) {
                throw new ColumnException(i, s + " is outside " + lo + ".." + hi);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ColumnException(i, "'" + s + "' is not a whole number");
        }
    }

    private static double dbl(String[] f, int i, double dflt) {
        String s = field(f, i);
        if (s.isEmpty()) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new ColumnException(i, "'" + s + "' is not a finite number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ColumnException(i, "'" + s + "' is not a number");
        }
    }

    /** A bad field. */
    static final class ColumnException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final int column;

        ColumnException(int column, String message) {
            super(message);
            this.column = column;
        }
    }
}
