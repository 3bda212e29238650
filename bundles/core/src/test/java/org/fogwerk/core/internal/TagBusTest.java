package org.fogwerk.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.testing.Gate;
import org.fogwerk.testing.LargeMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class TagBusTest {

    private TagBusImpl bus;

    private static TagBusConfig config(int connectionCapacity, int batch, int listenerCapacity) {
        Map<String, Object> map = new HashMap<>();
        map.put("connection.capacity", connectionCapacity);
        map.put("dispatch.batch", batch);
        map.put("listener.capacity", listenerCapacity);
        return Converters.standardConverter().convert(map).to(TagBusConfig.class);
    }

    @AfterEach
    void stop() {
        held.forEach(h -> h.gate.open());
        if (bus != null) {
            bus.deactivate();
        }
    }

    /** The listeners held back, let go when the test ends. */
    private final List<HeldBack> held = new ArrayList<>();

    /** A listener that takes its first values and then waits until it is let go before it takes more. */
    private final class HeldBack implements TagListener {
        final Gate gate = Gate.closed(Long.MAX_VALUE);
        final List<TagValue> received = Collections.synchronizedList(new ArrayList<>());

        HeldBack() {
            held.add(this);
        }

        @Override
        public void onValues(List<TagValue> values) {
            gate.run();
            received.addAll(values);
        }
    }

    private static Map<String, Object> props(String name) {
        return Map.of("component.name", name);
    }

    @Test
    void deliversEveryValueOfAConnectionInOrder() {
        bus = new TagBusImpl(config(100_000, 64, 100_000));
        List<TagValue> received = Collections.synchronizedList(new ArrayList<>());
        bus.addListener(received::addAll, props("recorder"));

        for (long i = 0; i < 20_000; i++) {
            assertTrue(bus.publish(TagValue.good("press01", "count", i)));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 20_000);
        for (int i = 0; i < 20_000; i++) {
            assertEquals((long) i, received.get(i).value());
        }
        assertEquals(20_000, bus.total().in());
        assertEquals(20_000, bus.listeners().get("recorder").delivered());
        assertEquals(0, bus.total().dropped());
    }

    @Test
    void aListenerThatAsksHearsTheLatestValueOfEveryTagFirst() {
        bus = new TagBusImpl(config(1000, 16, 1000));
        bus.publishAll(List.of(TagValue.good("press01", "setpoint", 250L), TagValue.good("press01", "speed", 1L),
                TagValue.good("press01", "speed", 2L), TagValue.good("mill", "setpoint", 7L)));
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.total().in() == 4 && bus.latest("mill").size() == 1);

        List<TagValue> late = Collections.synchronizedList(new ArrayList<>());
        List<TagValue> plain = Collections.synchronizedList(new ArrayList<>());
        bus.addListener(late::addAll, Map.of("component.name", "late", TagListener.REPLAY_PROPERTY,
                TagListener.REPLAY_LATEST));
        bus.addListener(plain::addAll, props("plain"));
        await().atMost(Duration.ofSeconds(5)).until(() -> late.size() == 3);
        assertEquals(Set.of("press01/setpoint=250", "press01/speed=2", "mill/setpoint=7"),
                late.stream().map(v -> v.connectionId() + "/" + v.tag() + "=" + v.value()).collect(Collectors.toSet()));

        bus.publish(TagValue.good("press01", "speed", 3L));
        await().atMost(Duration.ofSeconds(5)).until(() -> late.size() == 4 && plain.size() == 1);
        assertEquals(3L, late.get(3).value(), "what comes after follows the latest values");
        assertEquals(3L, plain.get(0).value(), "a listener that did not ask hears only what comes after it");
    }

    @Test
    void keepsTheLatestValueOfEveryTag() {
        bus = new TagBusImpl(config(1000, 16, 1000));
        bus.publishAll(List.of(TagValue.good("line2", "b", 1L), TagValue.good("line2", "a", 2.5),
                TagValue.good("line2", "b", 3L)));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> bus.latest("line2", "b").map(v -> v.value().equals(3L)).orElse(false));
        assertEquals(List.of("a", "b"), bus.latest("line2").stream().map(TagValue::tag).toList());
        assertEquals(2.5, bus.latest("line2", "a").orElseThrow().value());
        assertTrue(bus.latest("nobody").isEmpty());
    }

    @Test
    void aSlowListenerNeitherBlocksProducersNorOtherListeners() throws InterruptedException {
        bus = new TagBusImpl(config(100_000, 64, 100_000));
        HeldBack stuck = new HeldBack();
        List<TagValue> fast = Collections.synchronizedList(new ArrayList<>());
        bus.addListener(stuck, Map.of("component.name", "stuck", TagListener.QUEUE_CAPACITY_PROPERTY, 100));
        bus.addListener(fast::addAll, props("fast"));

        long start = System.nanoTime();
        for (long i = 0; i < 10_000; i++) {
            bus.publish(TagValue.good("m1", "t", i));
        }
        long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        await().atMost(Duration.ofSeconds(5)).until(() -> fast.size() == 10_000);
        assertTrue(publishMillis < 2_000, "publishing took " + publishMillis + " ms");
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.listeners().get("stuck").dropped() > 0);
        assertEquals(0, bus.listeners().get("fast").dropped());
        assertTrue(bus.total().dropped() > 0);
    }

    @Test
    void valuesLeftWaitingForAListenerThatGoesAreCountedAndItsCountsStayWhenItComesBack() {
        bus = new TagBusImpl(config(100_000, 64, 100_000));
        HeldBack route = new HeldBack();
        bus.addListener(route, Map.of("component.name", "route-oven", TagListener.QUEUE_CAPACITY_PROPERTY, 1000));
        for (long i = 0; i < 500; i++) {
            bus.publish(TagValue.good("oven", "t", i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.listeners().get("route-oven").in() == 500);
        // the route file is edited while a backlog waits: the listener goes
        bus.removeListener(route);
        Counters gone = bus.listeners().get("route-oven");
        assertEquals(500, gone.in());
        assertEquals(route.received.size(), gone.delivered(), "the batch in its hands was delivered");
        assertEquals(500, gone.delivered() + gone.dropped(), "everything else was counted as dropped");
        assertTrue(gone.dropped() > 0);
        assertEquals(Map.of("oven", gone.dropped()), bus.listenerDrops().get("route-oven"));
        assertEquals(gone.dropped(), bus.total().dropped());

        // it comes back under its name and counts on: nothing a user saw goes down
        List<TagValue> again = Collections.synchronizedList(new ArrayList<>());
        bus.addListener(again::addAll, props("route-oven"));
        bus.publish(TagValue.good("oven", "t", 500L));
        await().atMost(Duration.ofSeconds(5)).until(() -> again.size() == 1);
        assertEquals(501, bus.listeners().get("route-oven").in());
        assertEquals(gone.dropped(), bus.listeners().get("route-oven").dropped());
        assertEquals(gone.dropped(), bus.total().dropped());
    }

    @Test
    void whileAListenerStopsItsCountsStayInTheTotals() throws Exception {
        bus = new TagBusImpl(config(100_000, 64, 100_000));
        CountDownLatch inHand = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        // a listener busy with a batch that does not heed the interrupt: its stop waits for it
        TagListener busy = values -> {
            inHand.countDown();
            boolean waited = false;
            while (!waited) {
                try {
                    waited = letGo.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    // keeps the batch in hand, as a route in the middle of an exchange
                }
            }
        };
        bus.addListener(busy, Map.of("component.name", "route-busy", TagListener.QUEUE_CAPACITY_PROPERTY, 1000));
        bus.publish(TagValue.good("oven", "t", 0L));
        assertTrue(inHand.await(5, TimeUnit.SECONDS));
        for (long i = 1; i < 100; i++) {
            bus.publish(TagValue.good("oven", "t", i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.listeners().get("route-busy").in() == 100);
        Thread remover = new Thread(() -> bus.removeListener(busy));
        remover.start();
        try {
            // the remover waits for the batch in hand
            await().atMost(Duration.ofSeconds(5)).until(() -> remover.getState() == Thread.State.TIMED_WAITING);
            // stopping: still counted, never a dip to 0 in between
            assertEquals(100, bus.listeners().get("route-busy").in());
        } finally {
            letGo.countDown();
            remover.join(10_000);
        }
        assertEquals(100, bus.listeners().get("route-busy").in());
        assertEquals(99, bus.listeners().get("route-busy").dropped(), "the batch in hand went; the rest waited");
    }

    @Test
    void theStartUpBurstOfThreeLargeMachinesFitsAListenerThatTakesNothingYet() throws InterruptedException {
        bus = new TagBusImpl(config(10_000, 256, 10_000));
        HeldBack slow = new HeldBack();
        List<TagValue> received = slow.received;
        bus.addListener(slow, Map.of("component.name", "uplink-cloud", TagListener.QUEUE_CAPACITY_PROPERTY, 10_000));
        List<LargeMachine> machines = List.of(new LargeMachine("press01", 10_000), new LargeMachine("press02", 10_000),
                new LargeMachine("press03", 10_000));
        machines.forEach(bus::addConnector);

        for (LargeMachine m : machines) {
            assertEquals(10_000, bus.publishAll(m.initialValues()), "the connection's queue takes every tag");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.listeners().get("uplink-cloud").in() == 30_000);
        assertEquals(0, bus.listeners().get("uplink-cloud").dropped());
        assertEquals(0, bus.total().dropped());

        slow.gate.open();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 30_000);
    }

    @Test
    void aConnectionQueueHoldsTwoValuesPerTag() {
        bus = new TagBusImpl(config(10_000, 256, 10_000));
        LargeMachine huge = new LargeMachine("huge", 40_000);
        bus.addConnector(huge);
        assertEquals(80_000, bus.connectionQueueLimit("huge"));
        assertEquals(40_000, bus.publishAll(huge.initialValues()));
        assertEquals(10_000, bus.connectionQueueLimit("small"), "a connection without tags known keeps the default");

        bus.removeConnector(huge);
        assertEquals(10_000, bus.connectionQueueLimit("huge"));
    }

    @Test
    void aDropOldestListenerKeepsItsOwnSizeWhateverTheTags() {
        bus = new TagBusImpl(config(10_000, 256, 10_000));
        TagListener fresh = values -> { };
        TagListener everything = values -> { };
        bus.addListener(fresh, Map.of("component.name", "fresh", TagListener.QUEUE_CAPACITY_PROPERTY, 100,
                TagListener.OVERFLOW_PROPERTY, TagListener.DROP_OLDEST));
        bus.addListener(everything, Map.of("component.name", "everything", TagListener.QUEUE_CAPACITY_PROPERTY, 100));
        bus.addConnector(new LargeMachine("press01", 5000));
        assertEquals(100, bus.listenerLimit(fresh));
        assertEquals(5100, bus.listenerLimit(everything));
    }

    @Test
    void whatASlowListenerDropsIsCountedPerConnection() throws InterruptedException {
        bus = new TagBusImpl(config(10_000, 16, 16));
        HeldBack stuck = new HeldBack();
        bus.addListener(stuck, props("stuck"));
        for (long i = 0; i < 200; i++) {
            bus.publish(TagValue.good("press01", "t", i));
            bus.publish(TagValue.good("press02", "t", i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.listeners().get("stuck").in() == 400);
        Map<String, Long> drops = bus.listenerDrops().get("stuck");
        assertTrue(drops.get("press01") > 100 && drops.get("press02") > 100, drops.toString());
        assertEquals(bus.listeners().get("stuck").dropped(), drops.get("press01") + drops.get("press02"));
        assertEquals(0, bus.connections().get("press01").dropped(), "the connection's own queue lost nothing");
    }

    @Test
    void aDropOldestListenerKeepsTheFreshestValuesAndCountsWhatItDropped() throws InterruptedException {
        bus = new TagBusImpl(config(100_000, 64, 100_000));
        HeldBack stuck = new HeldBack();
        bus.addListener(stuck, Map.of("component.name", "freshest", TagListener.QUEUE_CAPACITY_PROPERTY, 16,
                TagListener.OVERFLOW_PROPERTY, TagListener.DROP_OLDEST));
        for (long i = 0; i < 1000; i++) {
            bus.publish(TagValue.good("m1", "t", i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.listeners().get("freshest").dropped() > 900);
        List<TagValue> received = stuck.received;
        stuck.gate.open();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() + bus.listeners().get("freshest").dropped() == 1000);
        assertEquals(999L, received.get(received.size() - 1).value(), "the newest value is never the one dropped");
        for (int i = 1; i < received.size(); i++) {
            assertTrue((Long) received.get(i).value() > (Long) received.get(i - 1).value(), "order is kept");
        }
    }

    @Test
    void aFloodedConnectionLosesOnlyItsOwnValuesAndEveryValueIsAccountedFor() {
        bus = new TagBusImpl(config(16, 4, 200_000));
        List<TagValue> received = Collections.synchronizedList(new ArrayList<>());
        bus.addListener(received::addAll, props("recorder"));

        List<TagValue> burst = new ArrayList<>();
        for (long i = 0; i < 100_000; i++) {
            burst.add(TagValue.good("flood", "t", i));
        }
        int taken = bus.publishAll(burst);
        assertTrue(bus.publish(TagValue.good("quiet", "t", 1L)));

        assertEquals(100_000, taken + bus.connections().get("flood").dropped());
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == taken + 1);
        assertEquals(0, bus.connections().get("quiet").dropped());
        long previous = -1;
        for (TagValue v : received) {
            if (v.connectionId().equals("flood")) {
                assertTrue((long) v.value() > previous, "values of one connection stay in order");
                previous = (long) v.value();
            }
        }
    }

    @Test
    void servesConnectionsInTurnSoAQuietOneIsNotStarved() {
        int batch = 8;
        bus = new TagBusImpl(config(200_000, batch, 300_000));
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        bus.addListener(values -> values.forEach(v -> order.add(v.connectionId())), props("order"));

        List<TagValue> chatty = new ArrayList<>();
        for (long i = 0; i < 100_000; i++) {
            chatty.add(TagValue.good("chatty", "t", i));
        }
        bus.publishAll(chatty);
        bus.publish(TagValue.good("quiet", "t", 1L));
        // taken after the quiet value was queued: everything of chatty dispatched before it is counted here
        long chattyDispatched = bus.connections().get("chatty").delivered();

        await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 100_001);
        int quietAt = order.indexOf("quiet");
        // whatever chatty still had waiting, the quiet connection is served within a turn or two
        assertTrue(quietAt <= chattyDispatched + 2 * batch,
                "the quiet value came after " + quietAt + " chatty values, " + chattyDispatched + " had been dispatched");
    }

    @Test
    void aListenerThatThrowsKeepsReceivingAndOthersAreUnaffected() {
        bus = new TagBusImpl(config(1000, 16, 1000));
        List<TagValue> good = Collections.synchronizedList(new ArrayList<>());
        bus.addListener(values -> {
            throw new IllegalStateException("broken rule");
        }, props("broken"));
        bus.addListener(good::addAll, props("good"));

        for (long i = 0; i < 100; i++) {
            bus.publish(TagValue.good("m", "t", i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> good.size() == 100);
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.listeners().get("broken").dropped() == 100);
    }

    @Test
    void measuresValuesPerSecondPerConnection() {
        bus = new TagBusImpl(config(100_000, 64, 100_000));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (int i = 0; i < 100; i++) {
                bus.publish(TagValue.good("rate", "t", (long) i));
            }
            return bus.connections().get("rate").perSecond() > 100;
        });
    }
}
