package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.fogwerk.api.shadow.ShadowException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An accepted update builds the new shadow beside the old one: readers that still hold the old
 * shadow (an event being delivered, an answer being written, a snapshot) see it exactly as it was,
 * whatever the update changed, removed, nested or annotated, while the new shadow shares what the
 * update left alone.
 */
class ShadowApplyTest {

    private static final String[] KEYS = {"speed", "temp", "mode", "limits", "line"};

    private final ShadowDocuments docs = new ShadowDocuments(1 << 20, 6);
    private final Random random = new Random(20261206L);

    @Test
    void theShadowBeforeAnUpdateIsLeftAsItWas() throws ShadowException {
        StoredShadow current = null;
        List<StoredShadow> history = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ShadowDocuments.Request request = docs.fromObjects(random.nextInt(3) == 0 ? section(2) : null,
                    random.nextInt(4) == 0 ? null : section(2), random.nextInt(40) == 0, random.nextInt(60) == 0,
                    null, null, annotations(current));
            StoredShadow copied = current == null ? null : deepCopy(current);
            StoredShadow next = docs.apply(current, request, i + 1, 1_000L + i).shadow();
            if (current != null) {
                // the same update on a private copy of the old shadow gives the same new shadow
                StoredShadow expected = docs.apply(copied, request, i + 1, 1_000L + i).shadow();
                assertEquals(json(expected), json(next), "update " + i);
            }
            history.add(next);
            seen.add(json(next));
            current = next;
        }
        for (int i = 0; i < history.size(); i++) {
            assertEquals(seen.get(i), json(history.get(i)), "shadow " + (i + 1) + " changed after later updates");
        }
    }

    @Test
    void whatAnUpdateLeavesAloneIsShared() throws ShadowException {
        StoredShadow first = docs.apply(null, docs.fromObjects(null,
                Map.of("limits", Map.of("max", 10, "min", 1), "speed", 3), null, null, Map.of()), 1, 1).shadow();
        StoredShadow second = docs.apply(first, docs.fromObjects(null, Map.of("speed", 4), null, null, Map.of()), 2,
                2).shadow();
        assertSame(first.reported().get("limits"), second.reported().get("limits"));
        assertEquals(4, second.reported().get("speed").asInt());
        assertEquals(3, first.reported().get("speed").asInt());
    }

    private Map<String, Object> section(int depth) {
        Map<String, Object> section = new LinkedHashMap<>();
        int fields = 1 + random.nextInt(3);
        for (int f = 0; f < fields; f++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            int kind = random.nextInt(depth > 0 ? 5 : 4);
            section.put(key, switch (kind) {
                case 0 -> random.nextInt(100);
                case 1 -> "v" + random.nextInt(5);
                case 2 -> List.of(random.nextInt(3), random.nextInt(3));
                case 3 -> random.nextInt(6) == 0 ? null : random.nextDouble();
                default -> section(depth - 1);
            });
        }
        return section;
    }

    /**
     * Now and then annotations beside fields the shadow already has, desired or reported, nested
     * or not, and on paths that are not leaves (skipped); they may name a field the same update writes.
     */
    private Map<String, Map<String, Object>> annotations(StoredShadow current) {
        if (current == null || random.nextInt(4) != 0) {
            return Map.of();
        }
        List<String> paths = new ArrayList<>();
        collect("desired", current.desired(), paths);
        collect("reported", current.reported(), paths);
        if (paths.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, Object>> annotations = new LinkedHashMap<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("quality", random.nextBoolean() ? "good" : "uncertain");
            if (random.nextInt(4) == 0) {
                attributes.put("reason", null);
            }
            annotations.put(paths.get(random.nextInt(paths.size())), attributes);
        }
        return annotations;
    }

    private static void collect(String path, ObjectNode node, List<String> paths) {
        if (node == null) {
            return;
        }
        node.fields().forEachRemaining(e -> {
            paths.add(path + "." + e.getKey());
            if (e.getValue() instanceof ObjectNode child) {
                collect(path + "." + e.getKey(), child, paths);
            }
        });
    }

    private static StoredShadow deepCopy(StoredShadow s) {
        return new StoredShadow(s.desired() == null ? null : s.desired().deepCopy(),
                s.reported() == null ? null : s.reported().deepCopy(), s.metadata().deepCopy(), s.delta().deepCopy(),
                s.version(), s.timestamp());
    }

    private String json(StoredShadow s) {
        ObjectNode all = docs.mapper().createObjectNode();
        all.set("desired", s.desired());
        all.set("reported", s.reported());
        all.set("metadata", s.metadata());
        all.set("delta", s.delta());
        return all.toString();
    }
}
