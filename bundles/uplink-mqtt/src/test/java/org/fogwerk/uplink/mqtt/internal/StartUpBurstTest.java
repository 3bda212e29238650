package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.testing.LargeMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two machines of 10,000 tags come up at once and send the initial value of every tag: all of
 * them reach the uplink's outbox, none is dropped on the way.
 */
class StartUpBurstTest {

    @TempDir
    Path dir;

    @Test
    void theInitialValuesOfEveryTagReachTheOutbox() throws Exception {
        // no broker listens there: the outbox keeps everything, so its depth counts what arrived
        String nowhere = "tcp://127.0.0.1:" + TestSupport.freePort();
        try (StandaloneCore core = new StandaloneCore();
                MqttUplink uplink = TestSupport.uplink("cloud", nowhere, dir.resolve("cloud"))) {
            core.addListener(uplink, MqttUplinkComponent.listenerProperties("cloud"));
            TagBus bus = core.bus();
            List<LargeMachine> machines = List.of(new LargeMachine("press01", 10_000),
                    new LargeMachine("press02", 10_000));
            machines.forEach(core::addToBus);
            for (LargeMachine m : machines) {
                assertEquals(10_000, core.sink().publishAll(m.initialValues()));
            }

            String listener = MqttUplinkComponent.listenerName("cloud");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Counters c = bus.listeners().get(listener);
                return c.delivered() + c.dropped() == 20_000;
            });
            assertEquals(0, bus.listeners().get(listener).dropped(), "values dropped before the outbox");
            assertEquals(0, bus.total().dropped());
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().outboxDepth() == 20_000);
            assertEquals(0, uplink.status().dropped());
        }
    }
}
