package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHubTest {

    private final EventHub hub = new EventHub(null, Fakes.node(), 3, 2);

    @AfterEach
    void stop() {
        hub.deactivate();
    }

    private static EventHub.Subscription sub(String connection, String tag) {
        return new EventHub.Subscription(Glob.of(connection), Glob.of(null), Glob.of(tag));
    }

    @Test
    void eachClientGetsWhatItsFilterLetsThroughAndASlowOneLosesOnlyItsOwn() throws Exception {
        EventHub.Client slow = hub.open(sub("press*", null));
        EventHub.Client picky = hub.open(sub(null, "temp*"));
        List<TagValue> values = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            values.add(TagValue.good("press01", "setpoint", (double) i));
        }
        values.add(TagValue.good("mill01", "temperature", 20.0));
        hub.deliver(values);

        assertEquals(3, slow.queue.size(), "its queue holds three");
        assertEquals(2, slow.dropped.get(), "the two values that did not fit are counted for it");
        assertEquals(1, picky.queue.size());
        assertEquals("temperature", picky.queue.peek().value().tag());
        assertEquals(0, picky.dropped.get());
        assertEquals(2, hub.droppedTotal());

        assertThrows(ApiException.class, () -> hub.open(sub(null, null)), "at most two clients");
        hub.close(slow);
        assertEquals(1, hub.clientCount());
    }
}
