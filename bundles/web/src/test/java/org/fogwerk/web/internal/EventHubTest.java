package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.fogwerk.api.TagValue;
import org.fogwerk.support.glob.Glob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHubTest {

    private final Node node = Fakes.node();
    private final EventHub hub = new EventHub(null, node, 3, 2);

    @AfterEach
    void stop() {
        hub.deactivate();
    }

    private FakeHttp.Response head(EventsServlet servlet) throws Exception {
        FakeHttp.Response r = new FakeHttp.Response();
        servlet.service(new FakeHttp.Request("HEAD", "/api/v1/events").servlet("/api/v1/events").user(Fakes.VIEWER)
                .build(), r.build());
        return r;
    }

    @Test
    void aHeadAnswersTheStreamsHeadersAndTakesNoClientsPlace() throws Exception {
        EventsServlet servlet = new EventsServlet(hub);
        for (int i = 0; i < 5; i++) {
            FakeHttp.Response r = head(servlet);
            assertEquals(200, r.status, r.text());
            assertEquals("text/event-stream", r.contentType);
            assertEquals("", r.text());
        }
        // both places (events.clients = 2) are still free
        hub.open(sub(null, null));
        hub.open(sub(null, null));
        FakeHttp.Response full = head(servlet);
        assertEquals(429, full.status, full.text());
        assertEquals("5", full.header("Retry-After"));
    }

    private static EventHub.Subscription sub(String connection, String tag) {
        return new EventHub.Subscription(Glob.of(connection), Glob.of(null), Glob.of(tag));
    }

    @Test
    void eachClientGetsWhatItsFilterLetsThroughAndASlowOneLosesOnlyItsOwn() throws Exception {
        long droppedBefore = hub.droppedTotal();
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
        assertEquals(droppedBefore + 2, hub.droppedTotal());
        EventHub again = new EventHub(null, node, 3, 2);
        assertEquals(droppedBefore + 2, again.droppedTotal(),
                "a new hub (etc/org.fogwerk.web.cfg saved) goes on counting: a counter never goes down");
        again.deactivate();

        assertThrows(ApiException.class, () -> hub.open(sub(null, null)), "at most two clients");
        hub.close(slow);
        assertEquals(1, hub.clientCount());
    }

    @Test
    void alarmEventsReachTheClientsThatAskForThemOnceEachAndInOrder() throws Exception {
        Fakes.Alarms alarms = new Fakes.Alarms();
        node.alarms = alarms;
        alarms.raise("press-1", "press01", "temperature", "HIGH", 91.0);
        hub.watchAlarms();
        EventHub.Client overview = hub.open(new EventHub.Subscription(Glob.of(null), Glob.of(null), Glob.of(null),
                Set.of(EventHub.STATE, EventHub.ALARM)));
        EventHub.Client values = hub.open(new EventHub.Subscription(Glob.of(null), Glob.of(null), Glob.of(null),
                Set.of(EventHub.VALUE)));
        // what happened before the client came is in GET /api/v1/alarms, not in its stream
        hub.watchAlarms();
        assertEquals(0, overview.queue.size());

        alarms.raise("press-1", "press01", "temperature", "NORMAL", 70.0);
        alarms.raise("", "press01", "pressure", "LOW", 1.0);
        hub.watchAlarms();
        hub.watchAlarms();
        assertEquals(2, overview.queue.size(), "each event once");
        EventHub.Event first = overview.queue.poll();
        assertEquals("alarm", first.name());
        assertEquals("NORMAL", first.data().get("level"));
        assertEquals("temperature_alarm", first.data().get("alarmTag"));
        assertEquals("LOW", overview.queue.poll().data().get("level"));
        assertEquals(0, values.queue.size(), "a client of values only gets no alarms");

        hub.deliver(List.of(TagValue.good("press01", "temperature", 70.0)));
        assertEquals(0, overview.queue.size(), "and a client of alarms and states no values");
        assertEquals(1, values.queue.size());
    }

    @Test
    void aClientThatReconnectsWithTheLastAlarmItHadGetsThoseItMissedFirst() throws Exception {
        Fakes.Alarms alarms = new Fakes.Alarms();
        node.alarms = alarms;
        EventHub.Subscription all = new EventHub.Subscription(Glob.of(null), Glob.of(null), Glob.of(null),
                Set.of(EventHub.STATE, EventHub.ALARM));
        EventHub.Client first = hub.open(all);
        hub.watchAlarms();
        alarms.raise("press-1", "press01", "temperature", "HIGH", 91.0);
        hub.watchAlarms();
        long had = ((Number) first.queue.poll().data().get("sequence")).longValue();
        hub.close(first);
        // while it is away
        alarms.raise("press-1", "press01", "temperature", "NORMAL", 70.0);
        alarms.raise("press-1", "press01", "pressure", "LOW", 1.0);
        hub.watchAlarms();

        EventHub.Client back = hub.open(all, had);
        assertEquals(List.of("NORMAL", "LOW"), back.queue.stream().map(e -> e.data().get("level")).toList());
        hub.watchAlarms();
        assertEquals(2, back.queue.size(), "none twice");
        FakeHttp.Request reconnect = new FakeHttp.Request("GET", "/api/v1/events").header("Last-Event-ID", " 7 ");
        assertEquals(7, EventsServlet.lastEventId(reconnect.build()));
        assertEquals(-1, EventsServlet.lastEventId(new FakeHttp.Request("GET", "/api/v1/events")
                .header("Last-Event-ID", "x").build()));
    }

    @Test
    void aClientAsksForKindsOfEventsByName() throws Exception {
        FakeHttp.Request request = new FakeHttp.Request("GET", "/api/v1/events?events=state,alarm&thing=press*");
        EventHub.Subscription s = EventHub.Subscription.of(request.build());
        assertEquals(Set.of("state", "alarm"), s.kinds());
        assertFalse(s.wantsValues());
        assertEquals(Set.of("value", "state", "alarm"),
                EventHub.Subscription.of(new FakeHttp.Request("GET", "/api/v1/events").build()).kinds());
        ApiException bad = assertThrows(ApiException.class, () -> EventHub.Subscription.of(
                new FakeHttp.Request("GET", "/api/v1/events?events=values").build()));
        assertTrue(bad.getMessage().contains("'values' is not value, state or alarm"), bad.getMessage());
    }
}
