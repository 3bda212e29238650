package org.fogwerk.camel.internal.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;

class BatcherTest {

    private final TestClock clock = new TestClock(0);
    private final List<List<String>> out = new ArrayList<>();

    @Test
    void closesAtTheNumberOfItems() {
        Batcher<String> b = new Batcher<>(3, Long.MAX_VALUE, Long.MAX_VALUE, clock);
        assertTrue(b.add("a", 1, out::add));
        assertFalse(b.add("b", 1, out::add));
        assertFalse(b.add("c", 1, out::add));
        assertTrue(b.add("d", 1, out::add));
        assertEquals(List.of(List.of("a", "b", "c")), out);
        assertEquals(List.of("d"), b.takeAll());
        assertNull(b.takeAll());
    }

    @Test
    void neverExceedsTheBytesUnlessOneItemDoes() {
        Batcher<String> b = new Batcher<>(100, 10, Long.MAX_VALUE, clock);
        b.add("a", 4, out::add);
        b.add("b", 4, out::add);
        assertTrue(out.isEmpty());
        b.add("c", 4, out::add);
        assertEquals(List.of(List.of("a", "b")), out);
        b.add("d", 6, out::add);
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d")), out, "exactly 10 bytes closes the batch");
        b.add("e", 1, out::add);
        b.add("huge", 25, out::add);
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e"), List.of("huge")), out);
        assertNull(b.takeAll());
    }

    @Test
    void lingerClosesABatchWhoseFirstItemWaitedLongEnough() {
        Batcher<String> b = new Batcher<>(100, Long.MAX_VALUE, 1000, clock);
        assertEquals(Long.MAX_VALUE, b.deadline());
        clock.set(5000);
        b.add("a", 1, out::add);
        clock.set(5600);
        b.add("b", 1, out::add);
        assertEquals(6000, b.deadline());
        clock.set(5999);
        assertNull(b.takeIfLingered());
        clock.set(6000);
        assertEquals(List.of("a", "b"), b.takeIfLingered());
        assertNull(b.takeIfLingered());
        assertEquals(Long.MAX_VALUE, b.deadline());
        assertTrue(out.isEmpty());
    }

    @Test
    void sizeOfBodiesForTheByteLimit() {
        assertEquals(3, BatchEndpoint.estimateSize(new byte[3]));
        assertEquals(5, BatchEndpoint.estimateSize("h\u00e9ll"), "UTF-8: é takes two bytes");
        assertEquals(4, BatchEndpoint.estimateSize("\uD83D\uDE00"));
        // "plc1" + "temp" + 8 + 16
        assertEquals(32, BatchEndpoint.estimateSize(TagValue.good("plc1", "temp", 1.5)));
        assertEquals(4 + 1 + 3 * 8 + 16, BatchEndpoint.estimateSize(TagValue.good("plc1", "a", new long[] {1, 2, 3})));
        assertEquals(64, BatchEndpoint.estimateSize(List.of()));
    }
}
