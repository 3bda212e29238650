package org.fogwerk.connector.modbus.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One read request of a poll cycle: a range of one unit and area and the tags in it. Its
 * buffer is allocated once and reused every cycle.
 */
final class Block {

    final int unitId;
    final Area area;
    final int start;
    final int count;
    final TagState[] tags;
    final int[] words;
    /** Read alone after an illegal-address split: never merged or split again. */
    final boolean isolated;

    Block(int unitId, Area area, int start, int count, List<TagState> tags, boolean isolated) {
        this.unitId = unitId;
        this.area = area;
        this.start = start;
        this.count = count;
        this.tags = tags.toArray(new TagState[0]);
        this.words = new int[count];
        this.isolated = isolated;
    }

    @Override
    public String toString() {
        return "unit " + unitId + " " + place() + " (" + tags.length + " tags)";
    }

    /** Area and range, as in {@code holding 100+31}. */
    String place() {
        return area.label() + " " + start + "+" + count;
    }

    /**
     * The fewest requests covering the tags: per unit and area, tags sorted by address are merged
     * while the request stays within {@code maxRegisters} (registers) or {@code maxBits} (coils,
     * discrete inputs) and the unused space between two tags is at most {@code maxGap}.
     */
    static List<Block> plan(List<TagState> tags, int maxRegisters, int maxBits, int maxGap) {
        Map<String, List<TagState>> byUnitArea = new LinkedHashMap<>();
        for (TagState t : tags) {
            byUnitArea.computeIfAbsent(t.spec.unitId() + "/" + t.spec.area(), k -> new ArrayList<>()).add(t);
        }
        List<Block> out = new ArrayList<>();
        for (List<TagState> group : byUnitArea.values()) {
            group.sort(Comparator.comparingInt((TagState t) -> t.spec.address()).thenComparingInt(t -> t.spec.end()));
            Area area = group.get(0).spec.area();
            int limit = area.bits() ? maxBits : maxRegisters;
            List<TagState> current = new ArrayList<>();
            int start = 0;
            int end = 0;
            for (TagState t : group) {
                if (!current.isEmpty()) {
                    int newEnd = Math.max(end, t.spec.end());
                    if (t.spec.address() - end - 1 <= maxGap && newEnd - start + 1 <= limit) {
                        current.add(t);
                        end = newEnd;
                        continue;
                    }
                    out.add(new Block(t.spec.unitId(), area, start, end - start + 1, current, false));
                    current = new ArrayList<>();
                }
                current.add(t);
                start = t.spec.address();
                end = t.spec.end();
            }
            out.add(new Block(group.get(0).spec.unitId(), area, start, end - start + 1, current, false));
        }
        return out;
    }

    /** A block for one tag alone. */
    static Block single(TagState t, boolean isolated) {
        return new Block(t.spec.unitId(), t.spec.area(), t.spec.address(), t.spec.end() - t.spec.address() + 1,
                List.of(t), isolated);
    }
}
