package org.fogwerk.simulator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fogwerk.api.DataType;

/**
 * The tags both simulators serve. Tag i (0-based) has type {@code TYPES[i % 7]}; the last
 * {@code writableCount} tags are writable set points, the others take pattern
 * {@code patterns[i % patterns.size()]}. Names are {@code <pattern><Type><NN>} with NN = i + 1,
 * zero padded to at least two digits: {@code sineBoolean01}, {@code rampInt1602},
 * {@code setpointDouble20}.
 */
final class TagCatalog {

    static final List<DataType> TYPES = List.of(DataType.BOOLEAN, DataType.INT16, DataType.INT32,
            DataType.UINT16, DataType.FLOAT, DataType.DOUBLE, DataType.STRING);

    private TagCatalog() {
    }

    static List<CatalogTag> build(int tagCount, List<Pattern> patterns, int writableCount) {
        List<CatalogTag> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            DataType type = TYPES.get(i % TYPES.size());
            boolean writable = i >= tagCount - writableCount;
            Pattern pattern = writable ? Pattern.SETPOINT : patterns.get(i % patterns.size());
            String name = pattern.label() + typeName(type) + String.format(Locale.ROOT, "%02d", i + 1);
            tags.add(new CatalogTag(i, name, type, pattern, writable));
        }
        return List.copyOf(tags);
    }

    /** The type as it appears in tag names: Boolean, Int16, Int32, UInt16, Float, Double, String. */
    static String typeName(DataType type) {
        switch (type) {
            case UINT16:
                return "UInt16";
            case INT16:
                return "Int16";
            case INT32:
                return "Int32";
            default:
                String name = type.name();
                return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
        }
    }
}
