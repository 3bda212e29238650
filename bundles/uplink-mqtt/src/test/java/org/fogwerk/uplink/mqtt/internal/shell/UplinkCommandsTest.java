package org.fogwerk.uplink.mqtt.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.karaf.shell.api.console.Session;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.UplinkStatus;
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

    private ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** A shell session whose console is {@link #printed}; the commands use nothing else of it. */
    private Session console() {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return (Session) java.lang.reflect.Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConsole")) {
                        return out;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private String run(Action action) throws Exception {
        printed.reset();
        action.run();
        return printed.toString(StandardCharsets.UTF_8);
    }

    interface Action {
        void run() throws Exception;
    }

    @Test
    void listAndStatusShowOutboxAndCounters() throws Exception {
        UplinkListCommand list = new UplinkListCommand();
        list.session = console();
        list.uplinks = List.of(uplink("local", new CompletableFuture<>()));
        String text = run(list::execute);
        assertTrue(text.contains("local") && text.contains("DISCONNECTED") && text.contains("42")
                && text.contains("Connection refused"), text);

        UplinkStatusCommand status = new UplinkStatusCommand();
        status.session = console();
        status.uplinks = list.uplinks;
        status.name = "local";
        text = run(status::execute);
        assertTrue(text.contains("Replayed") && text.contains("90.0 s") && text.contains("Dropped"), text);
    }

    @Test
    void unknownNameIsOneClearLine() {
        UplinkStatusCommand status = new UplinkStatusCommand();
        status.uplinks = List.of();
        status.name = "nope";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, status::execute);
        assertEquals("No uplink named 'nope' (see fogwerk:uplink-list)", e.getMessage());
    }

    @Test
    void flushReportsATimeout() throws Exception {
        UplinkFlushCommand flush = new UplinkFlushCommand();
        flush.session = console();
        flush.uplinks = List.of(uplink("local", new CompletableFuture<>()));
        flush.name = "local";
        flush.timeout = 1;
        String text = run(flush::execute);
        assertTrue(text.contains("not empty after 1 s: 42 messages still in the outbox"), text);
    }
}
