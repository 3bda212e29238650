package org.fogwerk.connector.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.connector.opcua.internal.TestSupport.config;
import static org.fogwerk.testing.Configs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

/** Tags spread over several subscriptions, publish requests in flight and their settings. */
class PublishPipelineTest extends SimulatorFixture {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String FILE = "etc/org.fogwerk.connector.opcua-line1.cfg";

    private static OpcUaSettings read(Object... kv) throws InvalidConfigurationException {
        Map<String, Object> m = map(kv);
        m.putIfAbsent("endpoint.url", "opc.tcp://127.0.0.1:4840/fogwerk");
        m.putIfAbsent("felix.fileinstall.filename", FILE);
        m.putIfAbsent("tags", "a=i=2258");
        return OpcUaSettings.read(config(m), m);
    }

    private static String error(Object... kv) {
        return assertThrows(InvalidConfigurationException.class, () -> read(kv)).getMessage();
    }

    /** A connection to a fresh simulator with every simulator tag, plus the given settings. */
    private OpcUaConnection connect(int tags, Object... kv) {
        runSimulator(tags, 0, WAIT);
        StringBuilder inline = new StringBuilder();
        for (SimulatedTag t : simulator.tags()) {
            inline.append(t.name()).append('=').append("nsu=urn:fogwerk:simulator;s=").append(t.name()).append('\n');
        }
        Map<String, Object> m = map(kv);
        m.put("endpoint.url", "opc.tcp://127.0.0.1:" + port + "/fogwerk");
        m.put("felix.fileinstall.filename", "etc/org.fogwerk.connector.opcua-spread.cfg");
        m.putIfAbsent("publishing.interval", "100");
        m.putIfAbsent("sampling.interval", "100");
        m.put("pki.dir", dir.resolve("pki").toString());
        m.put("tags", inline.toString());
        OpcUaConnection c = connections.make(m);
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.CONNECTED);
        return c;
    }

    private void awaitEveryTagGood() {
        await().atMost(WAIT).until(() -> simulator.tags().stream().allMatch(t -> {
            TagValue v = connections.sink.latest.get(t.name());
            return v != null && v.quality() == Quality.GOOD;
        }));
    }

    @Test
    void tagsAboveTheMaximumPerSubscriptionAreSpreadOverSeveral() {
        // at 1 s a publish answer is back well within an interval: no subscriptions beyond the 5 needed
        OpcUaConnection c = connect(23, "subscription.max.items", "5", "publishing.interval", "1000");
        List<UaSubscription> subs = c.client().getSubscriptionManager().getSubscriptions();
        assertEquals(5, subs.size());
        for (UaSubscription s : subs) {
            assertTrue(s.getMonitoredItems().size() <= 5, s.getMonitoredItems().size() + " items");
        }
        assertEquals(23, c.monitoredItemCount());
        awaitEveryTagGood();
    }

    @Test
    void afterAServerRestartEveryTagIsSubscribedOnceAgain() {
        OpcUaConnection c = connect(23, "subscription.max.items", "5", "publishing.interval", "1000",
                "keepalive.interval", "1000", "request.timeout", "2000", "reconnect.min", "200",
                "reconnect.max", "1000");
        awaitEveryTagGood();
        simulator.deactivate();
        simulator = null;
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.DISCONNECTED);

        connections.sink.latest.clear();
        simulator = TestSupport.simulator(port, 23, 0);
        await().atMost(WAIT).until(() -> simulator.status().running());
        awaitEveryTagGood();
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.CONNECTED);
        assertEquals(5, c.client().getSubscriptionManager().getSubscriptions().size());
        assertEquals(23, c.monitoredItemCount());
    }

    @Test
    void theConfiguredPublishRequestsAreInFlight() {
        OpcUaConnection c = connect(21, "publish.requests", "6");
        OpcUaClient client = c.client();
        assertEquals(6, client.getConfig().getMaxPendingPublishRequests().intValue());
        // Milo keeps one request per subscription plus one in flight: 5 subscriptions carry 6
        assertEquals(5, client.getSubscriptionManager().getSubscriptions().size());
        assertEquals(21, c.monitoredItemCount());
        awaitEveryTagGood();
    }

    @Test
    void defaultsKeepSmallTagSetsInOneSubscription() throws Exception {
        OpcUaSettings s = read();
        assertEquals(1000, s.maxItemsPerSubscription());
        assertEquals(0, s.publishRequests());
        assertTrue(s.discardOldest());
        assertEquals(new PublishPlan(1, 2), s.publishPlan());
    }

    @Test
    void requestsInFlightAreSizedFromItemsAndPublishingInterval() {
        // 10,000 items at 100 ms: 10 subscriptions needed, answers of 5 more may be under way
        assertEquals(new PublishPlan(14, 15), PublishPlan.of(10_000, 1000, 0, 100));
        // at 1 s the answers travel well within an interval: one request per subscription and one spare
        assertEquals(new PublishPlan(10, 11), PublishPlan.of(10_000, 1000, 0, 1000));
        assertEquals(new PublishPlan(3, 4), PublishPlan.of(2_500, 1000, 0, 1000));
        // configured: the tags are spread so that Milo keeps that many in flight
        assertEquals(new PublishPlan(4, 5), PublishPlan.of(21, 1000, 5, 1000));
        // never more subscriptions than items, never fewer than the maximum per subscription needs
        assertEquals(new PublishPlan(2, 50), PublishPlan.of(2, 1000, 50, 1000));
        assertEquals(new PublishPlan(10, 2), PublishPlan.of(10_000, 1000, 2, 1000));
    }

    @Test
    void invalidValuesAreRefusedNamingTheKey() throws Exception {
        assertTrue(error("subscription.max.items", "0").contains("subscription.max.items = '0' is out of range"));
        assertTrue(error("subscription.max.items", "many").contains("subscription.max.items = 'many' is not a number"));
        assertTrue(error("subscription.max.items", "2.5").contains("subscription.max.items = '2.5' is not a whole"));
        assertTrue(error("publish.requests", "-1").contains("publish.requests = '-1' is out of range (0..1000)"));
        assertTrue(error("publish.requests", "1001").contains("publish.requests"));
        assertTrue(error("subscription.max.items", "0").startsWith("etc/org.fogwerk.connector.opcua-line1.cfg: "));
        assertTrue(error("discard.oldest", "flase").contains("discard.oldest = 'flase' is not true or false"));
        assertEquals(false, read("discard.oldest", "FALSE").discardOldest());
    }

    @Test
    void aBadValueFailsTheConnectionWithTheKey() {
        Map<String, Object> m = map("endpoint.url", "opc.tcp://127.0.0.1:4840/fogwerk", "felix.fileinstall.filename",
                FILE, "tags", "a=i=2258", "publish.requests", "lots");
        OpcUaConnection c = connections.make(m);
        assertEquals(ConnectorState.FAILED, c.status().state());
        assertTrue(c.status().reason().contains("publish.requests = 'lots' is not a number"), c.status().reason());
    }
}
