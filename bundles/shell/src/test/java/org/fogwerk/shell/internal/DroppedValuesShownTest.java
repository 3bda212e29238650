package org.fogwerk.shell.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fogwerk.api.TagValue;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.testing.LargeMachine;
import org.fogwerk.testing.ShellConsole;
import org.junit.jupiter.api.Test;

/** A consumer too slow for its queue: connector-list and connector-status show what it lost, and where. */
class DroppedValuesShownTest {

    private final ShellConsole console = new ShellConsole();

    @Test
    void valuesASlowConsumerLostShowPerConnection() throws Exception {
        try (StandaloneCore node = new StandaloneCore(Map.of("listener.capacity", 16), 0);
                AutoCloseable released = node.stalledListener("uplink-cloud")) {
            LargeMachine press = new LargeMachine("press01", 10);
            LargeMachine mill = new LargeMachine("mill01", 10);
            for (LargeMachine machine : List.of(press, mill)) {
                node.add(machine);
                node.addToBus(machine);
            }
            for (long i = 0; i < 500; i++) {
                node.sink().publish(TagValue.good("press01", LargeMachine.tagName(0), i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> node.bus().listeners().get("uplink-cloud").in() == 500);
            long lost = node.bus().listeners().get("uplink-cloud").dropped();
            assertTrue(lost > 400, "the consumer lost " + lost);

            ConnectorListCommand list = new ConnectorListCommand();
            list.registry = node.connectors();
            String table = console.run(list);
            assertTrue(row(table, "press01").matches(".*CONNECTED.*\\b" + lost + "\\b.*"), table);
            assertTrue(row(table, "mill01").matches(".*\\b0\\s*\\|?\\s*$"), table);

            ConnectorStatusCommand status = new ConnectorStatusCommand();
            status.registry = node.connectors();
            status.id = "press01";
            String text = console.run(status);
            assertTrue(text.contains("500 in, " + lost + " dropped"), text);
            assertTrue(text.contains(lost + " by uplink-cloud (its queue was full)"), text);
            assertTrue(text.contains("0 by the connection's queue on the bus"), text);
        }
    }

    private static String row(String table, String id) {
        Matcher m = Pattern.compile("(?m)^\\s*" + id + "\\b.*$").matcher(table);
        assertTrue(m.find(), table);
        return m.group();
    }
}
