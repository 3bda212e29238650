package org.fogwerk.shadow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A shadow update's object form becomes the tree Jackson would make of it, node type for node type. */
class JsonTreesTest {

    private final ObjectMapper mapper = new ShadowDocuments(8192, 6).mapper();

    @Test
    void machineValuesBecomeTheNodesJacksonMakes() {
        Map<String, Object> reported = new LinkedHashMap<>();
        reported.put("text", "GOOD");
        reported.put("double", 12.5);
        reported.put("nan", Double.NaN);
        reported.put("int", 7);
        reported.put("long", 7L);
        reported.put("big", Long.MAX_VALUE);
        reported.put("flag", true);
        reported.put("none", null);
        reported.put("float", 1.5f);
        reported.put("short", (short) 3);
        reported.put("decimal", new BigDecimal("1.10"));
        reported.put("integer", BigInteger.TEN.pow(30));
        reported.put("list", Arrays.asList(1, 2.0, "x", null, List.of(false)));
        reported.put("doubles", new double[] {1, 2});
        reported.put("nested", Map.of("a", Map.of("b", List.of(Map.of("c", 1L)))));
        Map<Object, Object> otherKeys = new HashMap<>();
        otherKeys.put(1, "one");
        reported.put("otherKeys", otherKeys);
        reported.put("bytes", new byte[] {1, 2, 3});
        assertSame(reported);
        for (Map.Entry<String, Object> e : reported.entrySet()) {
            assertEquals(mapper.valueToTree(e.getValue()) == null ? "null" : mapper.valueToTree(e.getValue()).toString(),
                    JsonTrees.of(mapper, e.getValue()).toString(), e.getKey());
        }
    }

    @Test
    void deepMapsBecomeTheSameTree() {
        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> at = deep;
        for (int i = 0; i < 50; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            at.put("k", next);
            at = next;
        }
        assertSame(deep);
    }

    @Test
    void aValueJacksonCannotWriteIsRefusedWithItsPath() {
        Map<String, Object> reported = Map.of("line", Map.of("sensor", new Object()));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> JsonTrees.of(mapper, reported));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("[\"line\"]->")
                && e.getMessage().contains("[\"sensor\"]"), e.getMessage());
    }

    private void assertSame(Object value) {
        // equals compares node types too: an IntNode is not equal to a LongNode of the same number
        assertEquals(mapper.valueToTree(value), JsonTrees.of(mapper, value));
    }
}
