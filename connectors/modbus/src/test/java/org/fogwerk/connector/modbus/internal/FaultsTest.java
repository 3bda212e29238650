package org.fogwerk.connector.modbus.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exception codes, timeouts and overruns, against a minimal fake device. */
class FaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeSlave slave;
    private final StartedConnections connections = new StartedConnections();
    private final RecordingSink sink = connections.sink;

    @BeforeEach
    void startSlave() throws Exception {
        slave = new FakeSlave();
    }

    @AfterEach
    void stop() throws Exception {
        connections.close();
        slave.close();
    }

    private ModbusConnection connect(Object... more) throws Exception {
        return connections.start(new Object[] {"port", slave.port(), "reconnect.min", 100L, "reconnect.max", 400L,
            "tags", "a,,holding,0,int16; b,,holding,1,int16"}, more);
    }

    @ParameterizedTest
    @CsvSource({"1, Modbus exception 1 (illegal function)", "6, Modbus exception 6 (slave device busy)",
        "11, Modbus exception 11 (gateway target device failed to respond)"})
    void exceptionCodesMakeTheTagsBadWithTheReasonAndKeepTheConnection(int code, String reason) throws Exception {
        slave.exceptionCode = code;
        ModbusConnection c = connect("poll.interval", 50L);
        await().atMost(WAIT).until(() -> sink.get("a") != null && sink.get("b") != null);
        for (String t : List.of("a", "b")) {
            assertEquals(Quality.BAD, sink.get(t).quality());
            assertEquals(reason, sink.get(t).qualityReason());
        }
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.DEGRADED);
        assertTrue(c.status().reason().contains(reason), c.status().reason());
        // the device answers again: values flow on the same connection
        slave.exceptionCode = 0;
        await().atMost(WAIT).until(() -> sink.get("a").quality() == Quality.GOOD);
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.CONNECTED);
        assertEquals(0, c.status().reconnects());
        assertEquals(0L, sink.get("a").value());
    }

    @Test
    void aDeviceSilentForThreeRequestsInARowIsReconnectedAndComesBack() throws Exception {
        ModbusConnection c = connect("poll.interval", 50L, "timeout", 200);
        await().atMost(WAIT).until(() -> sink.get("a") != null && sink.get("a").quality() == Quality.GOOD);
        slave.delayMillis = 1000;
        await().atMost(WAIT).until(() -> node("a").quality() == Quality.BAD);
        assertTrue(node("a").qualityReason().startsWith("no response from unit 1 (holding 0+2): the device did not"
                + " answer") || node("a").qualityReason().startsWith("connection lost"), node("a").qualityReason());
        assertEquals(Quality.BAD, node("b").quality());
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.DISCONNECTED
                || c.status().reconnects() > 0);
        slave.delayMillis = 0;
        // the values did not change while the device was away: they are published again all the same
        await().atMost(WAIT).until(() -> node("a").quality() == Quality.GOOD && node("b").quality() == Quality.GOOD
                && c.status().state() == ConnectorState.CONNECTED);
        assertTrue(c.status().reconnects() >= 1);
    }

    @Test
    void aSilentUnitBehindAGatewayIsBadWhileTheOthersArePolledOnTheSameConnection() throws Exception {
        ModbusConnection c = connections.start(new Object[] {"port", slave.port(), "reconnect.min", 100L,
            "reconnect.max", 400L, "poll.interval", 50L, "timeout", 200,
            "tags", "a,,holding,0,int16; dead,2,holding,0,int16"});
        await().atMost(WAIT).until(() -> sink.get("a") != null && sink.get("dead") != null);
        slave.silentUnit = 2;
        await().atMost(WAIT).until(() -> node("dead").quality() == Quality.BAD);
        assertTrue(node("dead").qualityReason().startsWith("no response from unit 2 (holding 0+1)"),
                node("dead").qualityReason());
        long requests = slave.requests.get();
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> node("a").quality() == Quality.GOOD
                && c.status().reconnects() == 0);
        assertTrue(slave.requests.get() > requests + 5, "unit 1 is still polled");
        assertEquals(ConnectorState.DEGRADED, c.status().state());
        slave.silentUnit = -1;
        await().atMost(WAIT).until(() -> node("dead").quality() == Quality.GOOD);
    }

    @Test
    void aSilentUnitWithSeveralBlocksIsAskedOnceACycleAndTheConnectionStays() throws Exception {
        // a dead device behind a gateway usually has several requests a cycle: holding, input, ...
        ModbusConnection c = connections.start(new Object[] {"port", slave.port(), "reconnect.min", 100L,
            "reconnect.max", 400L, "poll.interval", 50L, "timeout", 200,
            "tags", "a,,holding,0,int16; d1,2,holding,0,int16; d2,2,holding,500,int16; d3,2,input,0,int16"});
        await().atMost(WAIT).until(() -> List.of("a", "d1", "d2", "d3").stream().allMatch(t -> node(t) != null
                && node(t).quality() == Quality.GOOD));
        slave.silentUnit = 2;
        await().atMost(WAIT).until(() -> List.of("d1", "d2", "d3").stream().allMatch(t -> node(t).quality()
                == Quality.BAD));
        for (String t : List.of("d1", "d2", "d3")) {
            assertTrue(node(t).qualityReason().startsWith("no response from unit 2 (holding 0+1): the device did not"
                    + " answer"), t + ": " + node(t).qualityReason());
        }
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> node("a").quality() == Quality.GOOD
                && c.status().reconnects() == 0);
        assertEquals(1, slave.accepted.get(), "one connection, never dropped");
        slave.silentUnit = -1;
        await().atMost(WAIT).until(() -> List.of("d1", "d2", "d3").stream().allMatch(t -> node(t).quality()
                == Quality.GOOD));
    }

    @Test
    void aWrongOrShortAnswerOfOneUnitMakesOnlyItsTagsBadAndTheirValuesComeBack() throws Exception {
        slave.unitValues.put(1, 11);
        slave.unitValues.put(2, 22);
        ModbusConnection c = connections.start(new Object[] {"port", slave.port(), "reconnect.min", 100L,
            "reconnect.max", 400L, "poll.interval", 50L, "timeout", 200,
            "tags", "a,1,holding,0,int16; w,2,holding,0,int16; x,2,input,0,int16"});
        await().atMost(WAIT).until(() -> node("w") != null && Long.valueOf(22).equals(node("w").value()));
        // unit 2 answers a read of holding registers as one of input registers, while both units' values change
        slave.wrongFunctionUnit = 2;
        slave.unitValues.put(1, 12);
        slave.unitValues.put(2, 23);
        await().atMost(WAIT).until(() -> node("w").quality() == Quality.BAD);
        assertEquals("bad answer from unit 2 (holding 0+1): the answer is not one of function 3 (holding)",
                node("w").qualityReason());
        await().atMost(WAIT).until(() -> Long.valueOf(12).equals(node("a").value())
                && node("a").quality() == Quality.GOOD);
        assertEquals(Quality.GOOD, node("x").quality());
        // then one register short
        slave.wrongFunctionUnit = -1;
        slave.shortUnit = 2;
        await().atMost(WAIT).until(() -> node("x").quality() == Quality.BAD);
        assertEquals("bad answer from unit 2 (input 0+1): short response: 0 of 1 registers", node("x").qualityReason());
        slave.shortUnit = -1;
        // the values that changed meanwhile come back GOOD: none stays as it was before the bad answers
        await().atMost(WAIT).until(() -> node("w").quality() == Quality.GOOD && node("x").quality() == Quality.GOOD);
        assertEquals(23L, node("w").value());
        assertEquals(0, c.status().reconnects());
        assertEquals(1, slave.accepted.get(), "one connection, never dropped");
    }

    @Test
    void aPortThatTakesTheConnectionButNeverAnswersIsNeverConnected() throws Exception {
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                while (!mute.isClosed()) {
                    try {
                        held.add(mute.accept());
                    } catch (java.io.IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            List<ConnectorState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            ModbusConnection c = connections.start(new Object[] {"port", mute.getLocalPort(), "reconnect.min", 100L,
                "reconnect.max", 400L, "timeout", 200, "poll.interval", 50L, "tags", "a,,holding,0,int16"});
            await().pollInterval(Duration.ofMillis(10)).during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> {
                seen.add(c.status().state());
                return c.status().state() != ConnectorState.CONNECTED;
            });
            assertTrue(seen.contains(ConnectorState.CONNECTING), seen.toString());
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void somethingElseThanModbusOnThePortIsNamedAsSuch() throws Exception {
        // a web server where the device was expected: it answers every request with an HTTP error
        try (java.net.ServerSocket web = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!web.isClosed()) {
                    try (java.net.Socket s = web.accept()) {
                        s.getInputStream().read(new byte[64]);
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        s.getInputStream().read(new byte[64]);
                    } catch (java.io.IOException e) {
                        // the client went away
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            ModbusConnection c = connections.start(new Object[] {"port", web.getLocalPort(), "reconnect.min", 100L,
                "reconnect.max", 400L, "timeout", 500, "tags", "a,,holding,0,int16"});
            await().atMost(WAIT).until(() -> c.status().reason().contains("not a Modbus TCP frame"));
        }
    }

    @Test
    void aLateAnswerOfASlowUnitIsPassedOverAndOnlyThatUnitsTagsAreBad() throws Exception {
        // a gateway: unit 1 answers at once, unit 5 after 700 ms, later than the timeout
        slave.unitValues.put(1, 111);
        slave.unitValues.put(5, 555);
        slave.unitDelays.put(5, 700L);
        ModbusConnection c = connections.start(new Object[] {"port", slave.port(), "reconnect.min", 100L,
            "reconnect.max", 400L, "poll.interval", 100L, "timeout", 500,
            "tags", "a,1,holding,0,int16; slow,5,holding,0,int16"});
        await().atMost(WAIT).until(() -> node("slow") != null && node("slow").quality() == Quality.BAD);
        assertTrue(node("slow").qualityReason().startsWith("no response from unit 5 (holding 0+1): the device did not"
                + " answer within the timeout"), node("slow").qualityReason());
        // several cycles, each with unit 5's late answer arriving while a later request waits for its own
        int late = slave.lateAnswers.get();
        await().during(Duration.ofMillis(3000)).atMost(WAIT).until(() -> node("a").quality() == Quality.GOOD
                && node("slow").quality() == Quality.BAD && c.status().reconnects() == 0);
        assertTrue(slave.lateAnswers.get() >= late + 4, "late answers: " + (slave.lateAnswers.get() - late));
        assertEquals(1, slave.accepted.get(), "one connection, never dropped");
        assertEquals(111L, node("a").value());
        assertTrue(sink.history.stream().filter(v -> v.tag().equals("a")).allMatch(v -> v.quality() == Quality.GOOD
                && Long.valueOf(111).equals(v.value())), "unit 1 GOOD throughout, never unit 5's value");
        assertEquals(1, sink.history.stream().filter(v -> v.tag().equals("slow")).count(), "BAD once, for one reason");
        assertEquals(ConnectorState.DEGRADED, c.status().state());
        assertTrue(c.status().reason().startsWith("1 of 2 tags bad, e.g. slow: no response from unit 5"),
                c.status().reason());
        // the unit answers in time again: its tags come back on the same connection
        slave.unitDelays.remove(5);
        await().atMost(WAIT).until(() -> node("slow").quality() == Quality.GOOD);
        assertEquals(555L, node("slow").value());
        assertEquals(1, slave.accepted.get());
    }

    @Test
    void anOverrunningCycleIsCountedAndSkippedNotQueued() throws Exception {
        slave.delayMillis = 60;
        ModbusConnection c = connect("poll.interval", 20L, "timeout", 1000);
        await().atMost(WAIT).until(() -> c.overruns() >= 10);
        // counted where users look: the connection's reason in connector-list, connector-status and REST
        await().atMost(WAIT).until(() -> c.status().reason().matches(
                "poll group default skipped [0-9]+ cycle\\(s\\) \\(its 20 ms interval is too short for the device\\)"));
        int requests = slave.requests.get();
        long overruns = c.overruns();
        // each cycle takes 60 ms at a 20 ms rate: about two of three cycles are skipped
        assertTrue(overruns >= requests, overruns + " overruns for " + requests + " requests");
        slave.delayMillis = 0;
        long before = slave.requests.get();
        long t0 = System.nanoTime();
        await().atMost(WAIT).until(() -> slave.requests.get() >= before + 10);
        double ms = (System.nanoTime() - t0) / 1e6;
        // no burst of queued cycles once the device is fast again: 10 cycles take about 200 ms
        assertTrue(ms >= 120, "10 cycles in " + ms + " ms: queued cycles ran late");
    }

    @Test
    void deadbandAndScaleApply() throws Exception {
        ModbusConnection c = connect("poll.interval", 30L, "tags",
                "scaled,,holding,0,int16,,10,1; flat,,holding,1,int16,,,,5");
        await().atMost(WAIT).until(() -> sink.get("scaled") != null && sink.get("flat") != null);
        assertEquals(1.0, sink.get("scaled").value()); // 0 * 10 + 1
        long requests = slave.requests.get();
        await().atMost(WAIT).until(() -> slave.requests.get() > requests + 5);
        // the value never changes: published once, not every cycle
        long published = sink.history.stream().filter(v -> v.tag().equals("flat")).count();
        assertEquals(1, published);
        assertEquals(ConnectorState.CONNECTED, c.status().state());
    }

    @Test
    void deadbandSuppressesSmallChanges() {
        TagSpec spec = new TagSpec("t", 1, Area.HOLDING, 0, ModbusType.parse("int16"), WordOrder.ABCD, 1, 0, 5,
                org.fogwerk.api.Access.READ, null, null, "default", "");
        TagState s = new TagState(spec);
        List<TagValue> out = new ArrayList<>();
        for (long raw : new long[] {0, 3, 5, 6, 9, 11, 12, 12}) {
            s.good("c", raw, 0, out);
        }
        assertEquals(List.of(0L, 6L, 12L), out.stream().map(TagValue::value).toList());
        s.bad("c", "gone", 0, out);
        s.bad("c", "gone", 0, out);
        s.good("c", 12L, 0, out);
        assertEquals(5, out.size(), "BAD once, then GOOD again even within the deadband");
    }

    private TagValue node(String tag) {
        return connections.node(tag);
    }
}
