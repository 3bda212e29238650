package org.fogwerk.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;

class ConnectionQueueTest {

    @Test
    void dropsAndCountsWhatDoesNotFitWithoutBlocking() {
        ConnectionQueue q = new ConnectionQueue("press01", 16);
        for (long i = 0; i < 16; i++) {
            assertTrue(q.offer(TagValue.good("press01", "t", i)));
        }
        for (long i = 16; i < 20; i++) {
            assertFalse(q.offer(TagValue.good("press01", "t", i)));
        }
        assertEquals(20, q.counters().in());
        assertEquals(4, q.counters().dropped());

        List<TagValue> out = new ArrayList<>();
        assertEquals(10, q.drainTo(out, 10));
        assertEquals(0L, out.get(0).value());
        assertEquals(9L, out.get(9).value());
        assertEquals(10, q.counters().delivered());
    }

    @Test
    void aRaisedBoundTakesMoreAndKeepsTheOrderAcrossGrowth() {
        ConnectionQueue q = new ConnectionQueue("press01", 100);
        for (long i = 0; i < 150; i++) {
            q.offer(TagValue.good("press01", "t", i));
        }
        assertEquals(50, q.counters().dropped());
        List<TagValue> out = new ArrayList<>();
        q.drainTo(out, 30); // the ring's start moves, so growing has to unwrap it
        q.capacity(1000);
        for (long i = 150; i < 1000; i++) {
            assertTrue(q.offer(TagValue.good("press01", "t", i)));
        }
        q.drainTo(out, 2000);
        assertEquals(100 - 30 + 30 + 850, out.size());
        for (int i = 1; i < out.size(); i++) {
            assertTrue((Long) out.get(i).value() > (Long) out.get(i - 1).value(), "order at " + i);
        }
        assertTrue(q.isEmpty());
    }
}
