package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fogwerk.api.TagValue;
import org.fogwerk.core.standalone.StandaloneCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** Connector -> real core tag bus -> uplink (whiteboard listener) -> Mosquitto -> subscriber. */
class TagBusToBrokerTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    private static String node() {
        return "bus-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A client of the broker that hears every message of the node. */
    private static TestSupport.Subscriber everythingOf(String node) throws Exception {
        return new TestSupport.Subscriber(BROKER, "fogwerk/" + node + "/#");
    }

    /** An uplink of the node to the broker, its outbox in a folder of its own. */
    private MqttUplink uplink(String name, String node, Object... more) throws Exception {
        Object[] keys = new Object[more.length + 2];
        keys[0] = "node.id";
        keys[1] = node;
        System.arraycopy(more, 0, keys, 2, more.length);
        return TestSupport.uplink(name, BROKER, dir.resolve(name), keys);
    }

    @Test
    void valuesOfTwoConnectionsArriveInOrderPerConnection() throws Exception {
        String node = node();
        try (StandaloneCore core = new StandaloneCore();
                TestSupport.Subscriber sub = everythingOf(node);
                MqttUplink uplink = uplink("bus", node, "include.things", "press*")) {
            core.addListener(uplink, "uplink-bus", 100_000);
            int n = 3000;
            for (int i = 0; i < n; i += 100) {
                List<TagValue> batch = new ArrayList<>();
                for (int j = i; j < i + 100; j++) {
                    batch.add(TagValue.good("press01", "counter", (long) j));
                    batch.add(TagValue.good("press02", "counter", (long) j));
                    batch.add(TagValue.good("mill01", "counter", (long) j)); // not included
                }
                core.sink().publishAll(batch);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sub.size() >= 2 * n);
            Map<String, Long> next = new HashMap<>();
            for (JsonNode m : sub.snapshot()) {
                String thing = m.get("thing").asText();
                long expected = next.getOrDefault(thing, 0L);
                assertEquals(expected, m.get("value").asLong(), "order of " + thing);
                next.put(thing, expected + 1);
            }
            assertEquals(Map.of("press01", (long) n, "press02", (long) n), next);
        }
    }

    @Test
    void valuesThatCameBeforeTheUplinkWasRegisteredReachTheBrokerToo() throws Exception {
        String node = node();
        try (StandaloneCore core = new StandaloneCore();
                TestSupport.Subscriber sub = everythingOf(node);
                MqttUplink uplink = uplink("early", node)) {
            // a connection quicker at boot than the uplink: its initial values, and a set point that never changes
            core.sink().publishAll(List.of(TagValue.good("press01", "setpoint", 42.5),
                    TagValue.good("press01", "counter", 1L)));
            await().atMost(Duration.ofSeconds(5)).until(() -> core.bus().latest("press01").size() == 2);
            core.addListener(uplink, MqttUplinkComponent.listenerProperties("early"));
            core.sink().publish(TagValue.good("press01", "counter", 2L));
            await().atMost(Duration.ofSeconds(20)).until(() -> sub.size() >= 3);
            List<String> seen = new ArrayList<>();
            for (JsonNode m : sub.snapshot()) {
                seen.add(m.get("tag").asText() + "=" + m.get("value").asText());
            }
            assertTrue(seen.contains("setpoint=42.5"), seen.toString());
            assertEquals(List.of("counter=1", "counter=2"), seen.stream().filter(v -> v.startsWith("counter")).toList());
        }
    }
}
