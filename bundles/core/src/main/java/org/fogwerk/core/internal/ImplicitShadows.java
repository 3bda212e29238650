package org.fogwerk.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.TagDefinition;

/**
 * Where the fields of a connection's implicit thing live. A machine with many tags would make a
 * reported state larger than a shadow may be (8 KiB, as in AWS IoT), so the fields are spread over
 * shadows of a bounded size: the classic shadow takes tags until their estimated state reaches the
 * budget, then the named shadow {@code tags-2}, then {@code tags-3} and so on. Writable tags come
 * first, then the others, each in the order of the connection's tag list: a set point's desired
 * state goes where its reported value is, so the set points of a large machine stay in the classic
 * shadow, which the command topic and most tools address. A small machine fits the classic
 * shadow alone, as before.
 */
final class ImplicitShadows {

    static final String PREFIX = "tags-";

    /** The size each shadow's reported state is planned for; the rest of the limit is room for longer values. */
    static final int DEFAULT_BUDGET = 6144;

    private final Map<String, String> shadowOfTag;
    private final int shadows;

    private ImplicitShadows(Map<String, String> shadowOfTag, int shadows) {
        this.shadowOfTag = shadowOfTag;
        this.shadows = shadows;
    }

    static ImplicitShadows of(List<TagDefinition> tags, int budget) {
        Map<String, String> shadowOfTag = new HashMap<>();
        int group = 1;
        String shadow = ""; // one name per shadow, shared by all its tags (10,000 tags, some 140 shadows)
        int used = 0;
        List<TagDefinition> ordered = new ArrayList<>(tags.size());
        tags.stream().filter(TagDefinition::writable).forEach(ordered::add);
        tags.stream().filter(d -> !d.writable()).forEach(ordered::add);
        for (TagDefinition d : ordered) {
            int size = estimate(d);
            if (used > 0 && used + size > budget) {
                group++;
                shadow = PREFIX + group;
                used = 0;
            }
            used += size;
            shadowOfTag.put(d.name(), shadow);
        }
        return new ImplicitShadows(Map.copyOf(shadowOfTag), Math.max(1, group));
    }

    /** The shadow a tag's field is in; a tag not in the list (yet) goes to the classic shadow. */
    String shadowOf(String tag) {
        return shadowOfTag.getOrDefault(tag, "");
    }

    /** How many shadows the fields take. */
    int shadows() {
        return shadows;
    }

    /** The bytes a field {@code "name":value,} takes at most in the reported state, long texts aside. */
    static int estimate(TagDefinition d) {
        int name = d.name().getBytes(StandardCharsets.UTF_8).length + 4;
        switch (d.dataType()) {
            case BOOLEAN:
                return name + 5;
            case INT16:
            case UINT16:
                return name + 6;
            case INT32:
            case UINT32:
                return name + 11;
            case INT64:
            case UINT64:
                return name + 20;
            case FLOAT:
            case DOUBLE:
                return name + 24;
            case BYTES:
                return name + 88; // 64 bytes as base64
            default:
                return name + 64;
        }
    }
}
