package org.fogwerk.camel.internal.mes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;

import org.apache.camel.ProducerTemplate;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.camel.internal.component.TestNode;
import org.fogwerk.testing.TestMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work orders for a machine whose fields are spread over several shadows. */
class WorkOrdersTest {

    @TempDir
    Path dir;

    @Test
    void anOrderForALargeMachineGoesToTheShadowEachFieldReportsIn() throws Exception {
        TestMachine mill = TestMachine.withSetPointsLast("mill", 20);
        // shadows of about one set point each: setA reports in the classic shadow, setB in tags-2
        try (TestNode node = new TestNode(dir, 20)) {
            node.core.add(mill);
            ShadowListener commands = node.core.commandPath(node.shadow, node.audit);
            node.shadow.addListener(commands);
            try {
                ProducerTemplate template = node.camel.createProducerTemplate();
                template.requestBodyAndHeader("bean:" + WorkOrders.BEAN + "?method=apply", "{\"setA\": 5, \"setB\": 7}",
                        WorkOrders.MACHINE_HEADER, "mill");
                assertEquals(Set.of(5L, 7L), Set.copyOf(mill.written), "both set points reached the machine");
                assertEquals(5L, ((Number) node.shadow.get("mill", "").desired().get("setA")).longValue());
                assertEquals(7L, ((Number) node.shadow.get("mill", "tags-2").desired().get("setB")).longValue());
                // through the write gateway, as source route under the route's name, and so is a refusal
                assertTrue(node.audit.events().stream().anyMatch(e -> e.kind().equals("desired")
                        && e.source().equals("route") && e.thing().equals("mill") && e.outcome().equals("accepted")),
                        node.audit.events().toString());
                Exception bad = assertThrows(Exception.class, () -> template.requestBodyAndHeader("bean:"
                        + WorkOrders.BEAN + "?method=apply", "{\"nosuch\": 1}", WorkOrders.MACHINE_HEADER, "mill"));
                assertTrue(bad.getCause().getMessage().contains("has no field nosuch"), bad.toString());
                assertTrue(node.audit.events().stream().anyMatch(e -> e.source().equals("route")
                        && e.thing().equals("mill") && e.outcome().equals("refused")), node.audit.events().toString());
            } finally {
                node.shadow.removeListener(commands);
            }
        }
    }
}
