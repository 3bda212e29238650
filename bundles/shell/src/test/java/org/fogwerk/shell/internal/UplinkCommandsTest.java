package org.fogwerk.shell.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.karaf.shell.support.CommandException;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.support.bus.BusListeners;
import org.fogwerk.testing.ShellConsole;
import org.fogwerk.testing.Users;
import org.junit.jupiter.api.Test;

class UplinkCommandsTest {

    private static Uplink uplink(String name, CompletionStage<Void> flush) {
        return new Uplink() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public UplinkStatus status() {
                return new UplinkStatus(UplinkState.DISCONNECTED, "Connection refused", Instant.EPOCH, 42,
                        Duration.ofSeconds(90), 0, 1000, 10, 3);
            }

            @Override
            public CompletionStage<Void> submit(List<TagValue> values) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> flush() {
                return flush;
            }
        };
    }

    private final ShellConsole console = new ShellConsole();

    @Test
    void listAndStatusShowOutboxAndCounters() throws Exception {
        UplinkListCommand list = new UplinkListCommand();
        list.uplinks = List.of(uplink("local", new CompletableFuture<>()));
        String text = console.run(list);
        assertTrue(text.contains("local") && text.contains("DISCONNECTED") && text.contains("42")
                && text.contains("Connection refused"), text);

        UplinkStatusCommand status = new UplinkStatusCommand();
        status.uplinks = list.uplinks;
        status.name = "local";
        text = console.run(status);
        assertTrue(text.contains("Replayed") && text.contains("90.0 s") && text.contains("Dropped"), text);
    }

    @Test
    void statusShowsWhatTheBusDroppedBeforeTheOutboxWhenTheUplinkIsTooSlow() throws Exception {
        try (StandaloneCore node = new StandaloneCore(Map.of("listener.capacity", 16), 0);
                AutoCloseable released = node.stalledListener(BusListeners.uplink("local"))) {
            TagBus bus = node.bus();
            for (long i = 0; i < 300; i++) {
                node.sink().publish(TagValue.good("press01", "counter", i));
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> bus.listeners().get(BusListeners.uplink("local")).in() == 300);
            long dropped = bus.listeners().get(BusListeners.uplink("local")).dropped();
            assertTrue(dropped > 200, "dropped " + dropped);

            UplinkStatusCommand status = new UplinkStatusCommand();
            status.uplinks = List.of(uplink("local", new CompletableFuture<>()));
            status.bus = bus;
            status.name = "local";
            String text = console.run(status);
            assertTrue(text.matches("(?s).*Dropped on bus\\s+\\|?\\s*" + dropped + " \\(queue before the outbox full\\).*"),
                    text);
            assertTrue(text.matches("(?s).*Dropped\\s+\\|?\\s*3 \\(outbox full, or not written: disk full\\).*"), text);

            UplinkListCommand list = new UplinkListCommand();
            list.uplinks = status.uplinks;
            list.bus = bus;
            text = console.run(list);
            assertTrue(text.matches("(?s).*local.*\\b" + (3 + dropped) + "\\b.*Connection refused.*"), text);
        }
    }

    @Test
    void unknownNameIsOneClearLine() {
        UplinkStatusCommand status = new UplinkStatusCommand();
        status.uplinks = List.of();
        status.name = "nope";
        CommandException e = assertThrows(CommandException.class, () -> console.run(status));
        assertEquals("No uplink named 'nope' (see fogwerk:uplink-list)", e.getMessage());
    }

    @Test
    void flushReportsATimeout() throws Exception {
        UplinkFlushCommand flush = new UplinkFlushCommand();
        flush.uplinks = List.of(uplink("local", new CompletableFuture<>()));
        flush.name = "local";
        flush.timeout = 1;
        String text = Users.operator(() -> console.run(flush));
        assertTrue(text.contains("not empty after 1 s: 42 messages still in the outbox"), text);
    }

    @Test
    void aViewerIsToldFlushNeedsTheOperatorRole() {
        UplinkFlushCommand flush = new UplinkFlushCommand();
        flush.uplinks = List.of(uplink("local", CompletableFuture.completedFuture(null)));
        flush.name = "local";
        CommandException e = assertThrows(CommandException.class,
                () -> Users.as("vera", List.of("viewer"), () -> console.run(flush)));
        assertEquals("this needs the role operator; user 'vera' has the roles viewer", e.getMessage());
        assertTrue(e.getNiceHelp().contains("Error executing command fogwerk:uplink-flush: this needs the role operator"),
                e.getNiceHelp());
    }
}
