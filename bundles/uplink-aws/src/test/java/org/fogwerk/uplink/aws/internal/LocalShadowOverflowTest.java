package org.fogwerk.uplink.aws.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.RequestCounters;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.HeldGateway;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.uplink.mqtt.internal.TestConnector;
import org.fogwerk.uplink.mqtt.standalone.CoreNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow requests that find the queue of the {@code $aws} topics full are refused with 429 on
 * their own channel and are on record all the same, alike ones as one entry with their number.
 */
class LocalShadowOverflowTest {

    @TempDir
    Path dir;

    @Test
    void requestsRefusedForAFullQueueAreAuditedOnceThereIsRoom() throws Exception {
        CoreNode core = new CoreNode();
        TestConnector plc = new TestConnector("press", List.of(new TagDefinition("setpoint", "40001", DataType.INT32,
                Access.READ_WRITE, "", "", 0.0, 100.0, Map.of())));
        core.add(plc);
        ShadowStoreImpl store = ShadowStores.open(dir.resolve("shadows"));
        WriteGateway real = core.gateway(store, "aws-local.allow = **", "aws-local.create = true");
        // the gateway takes its time with the first update: the requests behind it fill the queue
        HeldGateway held = new HeldGateway(real);
        WriteGateway slow = held.gateway();
        LocalShadowService service = new LocalShadowService("local", () -> store, () -> slow, 8192, t -> true,
                l -> ShadowStores.listen(store, l));
        try {
            String topic = "$aws/things/press/shadow/update";
            byte[] update = "{\"state\":{\"desired\":{\"setpoint\":5}}}".getBytes(StandardCharsets.UTF_8);
            service.messageArrived(topic, update);
            assertTrue(held.holding());
            for (int i = 0; i < 1000; i++) {
                service.messageArrived(topic, update); // the queue holds 1000
            }
            for (int i = 0; i < 7; i++) {
                service.messageArrived(topic, update);
            }
            service.messageArrived("$aws/things/press/shadow/delete", new byte[0]);
            assertEquals(List.of(), refusals(core), "nothing recorded on the MQTT client's thread");

            held.release();
            await().atMost(Duration.ofSeconds(30)).until(() -> refusals(core).size() == 2);
            AuditEvent updates = refusals(core).stream().filter(e -> e.kind().equals(AuditEvent.KIND_DESIRED))
                    .findFirst().orElseThrow();
            assertEquals("aws-local", updates.source());
            assertEquals("press", updates.thing());
            assertTrue(updates.detail().contains("429"), updates.detail());
            assertTrue(updates.detail().contains("too many shadow requests waiting (1000); 7 requests alike refused"),
                    updates.detail());
            AuditEvent delete = refusals(core).stream().filter(e -> e.kind().equals(AuditEvent.KIND_SHADOW_DELETE))
                    .findFirst().orElseThrow();
            assertTrue(delete.detail().endsWith("too many shadow requests waiting (1000)"), delete.detail());
            RequestCounters aws = real.counters().stream().filter(c -> c.source().id().equals("aws-local")).findFirst()
                    .orElseThrow();
            assertEquals(2, aws.refused(), aws.toString());
        } finally {
            service.close();
            store.close();
            core.close();
        }
    }

    private static List<AuditEvent> refusals(CoreNode core) {
        return core.audit.events().stream().filter(e -> e.outcome().equals("refused")).toList();
    }
}
