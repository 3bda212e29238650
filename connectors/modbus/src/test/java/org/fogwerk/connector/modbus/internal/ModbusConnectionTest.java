package org.fogwerk.connector.modbus.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModbusConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private int port;
    private ModbusSimulator sim;
    private final StartedConnections connections = new StartedConnections();
    private final RecordingSink sink = connections.sink;

    @BeforeEach
    void startSimulator() throws Exception {
        port = FreePorts.next();
        // 22 tags, 6 set points: the default map plus a STRING set point and a coil
        sim = SimulatorFixture.start(port, 22, 6);
    }

    @AfterEach
    void stopAll() {
        connections.close();
        if (sim != null) {
            sim.deactivate();
        }
    }

    private ModbusConnection connect(Object... keysAndValues) throws Exception {
        return connections.start(new Object[] {"port", port, "reconnect.min", 100L, "reconnect.max", 400L,
            "timeout", 500}, keysAndValues);
    }

    private void awaitGood(String... tags) {
        await().atMost(WAIT).until(() -> {
            for (String t : tags) {
                TagValue v = sink.get(t);
                if (v == null || v.quality() != Quality.GOOD) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void readsTheWholeCatalogWithTheRightTypes() throws Exception {
        List<String> lines = SimulatorFixture.tagLines(sim, null);
        assertEquals(22, lines.size());
        ModbusConnection c = connect("poll.interval", 100L, "tags", String.join(";", lines));
        String[] names = c.tags().stream().map(t -> t.name()).toArray(String[]::new);
        awaitGood(names);
        assertEquals(ConnectorState.CONNECTED, c.status().state());
        assertInstanceOf(Boolean.class, sink.get("sineBoolean01").value());
        assertInstanceOf(Long.class, sink.get("rampInt1602").value());
        long state = (Long) sink.get("stateInt3210").value();
        assertTrue(state >= 0 && state <= 4, "state " + state);
        double stateFloat = (Double) sink.get("stateFloat05").value();
        assertTrue(stateFloat >= 0 && stateFloat <= 4 && stateFloat == Math.rint(stateFloat), "" + stateFloat);
        double sine = (Double) sink.get("sineDouble06").value();
        assertTrue(sine >= -100 && sine <= 100, "sine " + sine);
        long sineU = (Long) sink.get("sineUInt1611").value();
        assertTrue(sineU >= 0 && sineU <= 200, "uint16 sine " + sineU);
        double ramp = Double.parseDouble((String) sink.get("rampString07").value());
        assertTrue(ramp >= 0 && ramp <= 100, "ramp text " + ramp);
        assertEquals(0L, sink.get("setpointInt3217").value());
        assertEquals("", sink.get("setpointString21").value());
        assertEquals(false, sink.get("setpointBoolean22").value());
        // counters move: values keep arriving, in batches
        long before = sink.count.get();
        await().atMost(WAIT).until(() -> sink.count.get() > before + 10);
        assertTrue(sink.batches.get() < sink.count.get(), "values travel in batches");
        // one request per area and cycle: the plan has 4 blocks
        assertEquals(4, c.plan().size(), c.plan().toString());
    }

    @Test
    void coalescesThe37InputRegistersIntoOneRequest() throws Exception {
        List<String> lines = SimulatorFixture.tagLines(sim, "input");
        assertEquals(13, lines.size());
        ModbusConnection c = connect("poll.interval", 3_600_000L, "tags", String.join(";", lines));
        awaitGood(c.tags().stream().map(t -> t.name()).toArray(String[]::new));
        assertEquals(1, c.requestCount());
        assertEquals(List.of("default: unit 1 input 0+37 (13 tags)"), c.plan());
    }

    @Test
    void coalescesWithinMaxRegisters() throws Exception {
        List<String> lines = SimulatorFixture.tagLines(sim, "input");
        ModbusConnection c = connect("poll.interval", 3_600_000L, "max.registers", 10, "tags",
                String.join(";", lines));
        awaitGood(c.tags().stream().map(t -> t.name()).toArray(String[]::new));
        assertEquals((37 + 9) / 10, c.requestCount());
        assertEquals(List.of("default: unit 1 input 0+10 (5 tags)", "default: unit 1 input 10+9 (2 tags)",
                "default: unit 1 input 19+9 (4 tags)", "default: unit 1 input 28+9 (2 tags)"), c.plan());
    }

    @Test
    void pollGroupsKeepTheirOwnRate() throws Exception {
        ModbusConnection c = connect("poll.groups", "fast=50,slow=3600000", "tags",
                "fast,,input,3,uint16,,,,,,,,fast; slow,,input,18,int16,,,,,,,,slow");
        awaitGood("fast", "slow");
        long start = System.nanoTime();
        long requestsAtStart = c.requestCount();
        await().atMost(WAIT).until(() -> c.requestCount() >= requestsAtStart + 20);
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        // 20 fast cycles at 50 ms need about 1 s: not faster (no catch-up bursts), the slow group not at all
        assertTrue(elapsedMs >= 900, "20 cycles took only " + elapsedMs + " ms");
        assertEquals(2, c.plan().size());
    }

    @Test
    void writesEveryTypeAndReadsItBack() throws Exception {
        ModbusConnection c = connect("poll.interval", 100L, "tags", String.join(";",
                "i32,,holding,0,int32,,,,,rw",
                "u16scaled,,holding,2,uint16,,0.1,0,,rw,0,1000",
                "f32cdab,,holding,3,float32,CDAB,,,,rw",
                "f64,,holding,5,float64,,,,,rw",
                "text,,holding,9,string(16),,,,,rw",
                "coil,,coil,0,bool,,,,,rw",
                "bit3,,holding,2,bit(3),,,,,rw",
                "ro,,input,0,int16"));
        awaitGood("i32", "coil");
        assertEquals(WriteResult.Outcome.DONE, write(c, "i32", -2L).outcome());
        assertEquals(-2L, read(c, "i32"));
        assertEquals(WriteResult.Outcome.DONE, write(c, "u16scaled", 12.3).outcome());
        assertEquals(12.3, (Double) read(c, "u16scaled"), 1e-9);
        assertArrayEquals(new int[] {123}, c.readRaw(1, Area.HOLDING, 2, 1).toCompletableFuture().get(5,
                TimeUnit.SECONDS));
        assertEquals(WriteResult.Outcome.DONE, write(c, "bit3", true).outcome());
        assertArrayEquals(new int[] {123 | 8}, c.readRaw(1, Area.HOLDING, 2, 1).toCompletableFuture().get(5,
                TimeUnit.SECONDS));
        assertEquals(true, read(c, "bit3"));
        assertEquals(WriteResult.Outcome.DONE, write(c, "f32cdab", -1.5).outcome());
        assertArrayEquals(new int[] {0x0000, 0xBFC0}, c.readRaw(1, Area.HOLDING, 3, 2).toCompletableFuture()
                .get(5, TimeUnit.SECONDS), "word swapped on the wire");
        assertEquals(-1.5, read(c, "f32cdab"));
        assertEquals(WriteResult.Outcome.DONE, write(c, "f64", 123.456).outcome());
        assertEquals(123.456, read(c, "f64"));
        assertEquals(WriteResult.Outcome.DONE, write(c, "text", "Hello").outcome());
        assertEquals("Hello", read(c, "text"));
        assertEquals(WriteResult.Outcome.DONE, write(c, "coil", true).outcome());
        assertEquals(true, read(c, "coil"));
        // the poll sees the new values too
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(sink.get("coil").value())
                && "Hello".equals(sink.get("text").value()));
        await().atMost(WAIT).until(() -> sim.status().writes() >= 7);

        WriteResult refused = write(c, "ro", 1L);
        assertEquals(WriteResult.Outcome.REFUSED, refused.outcome());
        assertEquals("tag ro is read-only", refused.reason());
        WriteResult tooBig = write(c, "u16scaled", 7000.0);
        assertEquals(WriteResult.Outcome.REFUSED, tooBig.outcome());
        assertTrue(tooBig.reason().contains("outside the range of uint16"), tooBig.reason());
        assertEquals(WriteResult.Outcome.REFUSED, write(c, "text", "much longer than sixteen").outcome());
        assertEquals(WriteResult.Outcome.REFUSED, write(c, "nope", 1L).outcome());
    }

    @Test
    void aScaledSetPointReadsBackAsTheNumberWritten() throws Exception {
        ModbusConnection c = connect("poll.interval", 50L, "tags", "sc, , holding, 2, int16, , 0.1, 5, , rw, 0, 20");
        awaitGood("sc");
        assertEquals(WriteResult.Outcome.DONE, write(c, "sc", 7.3).outcome());
        assertArrayEquals(new int[] {23}, c.readRaw(1, Area.HOLDING, 2, 1).toCompletableFuture().get(5,
                TimeUnit.SECONDS));
        // reported exactly as desired (not 7.300000000000001): a shadow's delta clears
        assertEquals(7.3, read(c, "sc"));
        await().atMost(WAIT).until(() -> Double.valueOf(7.3).equals(sink.get("sc").value()));
        assertEquals(WriteResult.Outcome.DONE, write(c, "sc", 5.15).outcome());
        assertArrayEquals(new int[] {2}, c.readRaw(1, Area.HOLDING, 2, 1).toCompletableFuture().get(5,
                TimeUnit.SECONDS), "half a step is rounded away from zero");
        assertEquals(5.2, read(c, "sc"));
    }

    private static WriteResult write(ModbusConnection c, String tag, Object value) throws Exception {
        return c.write(tag, value).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Object read(ModbusConnection c, String tag) throws Exception {
        TagValue v = c.read(tag).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Quality.GOOD, v.quality());
        return v.value();
    }

    @Test
    void anIllegalAddressIsIsolatedAndItsNeighboursStayGood() throws Exception {
        ModbusConnection c = connect("poll.interval", 50L, "tags", String.join(";",
                "counterString14,,input,28,string(16)",
                "beyond,,input,37,int16",
                "sineInt1616,,input,36,int16",
                "farAway,,input,1000,uint16"));
        await().atMost(WAIT).until(() -> sink.get("beyond") != null && sink.get("farAway") != null);
        awaitGood("counterString14", "sineInt1616");
        TagValue bad = sink.get("beyond");
        assertEquals(Quality.BAD, bad.quality());
        assertEquals("Modbus exception 2 (illegal data address)", bad.qualityReason());
        assertEquals(Quality.BAD, sink.get("farAway").quality());
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.DEGRADED);
        assertTrue(c.status().reason().startsWith("2 of 4 tags bad"), c.status().reason());
        assertTrue(c.plan().contains("default: unit 1 input 28+9 (2 tags)"), c.plan().toString());
        assertTrue(c.plan().contains("default: unit 1 input 37+1 (1 tags)"), c.plan().toString());
        // the neighbours keep getting fresh values from then on: the counter string changes
        String counter = (String) sink.get("counterString14").value();
        await().atMost(WAIT).until(() -> !counter.equals(sink.get("counterString14").value()));
        assertEquals(Quality.GOOD, sink.get("sineInt1616").quality());
        assertEquals(Quality.BAD, sink.get("beyond").quality());
    }

    @Test
    void reconnectsWhenTheSlaveComesBack() throws Exception {
        ModbusConnection c = connect("poll.interval", 50L, "tags", "counterUInt1604,,input,3,uint16");
        awaitGood("counterUInt1604");
        assertEquals(ConnectorState.CONNECTED, c.status().state());
        sim.deactivate();
        sim = null;
        await().atMost(WAIT).until(() -> node("counterUInt1604").quality() == Quality.BAD);
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.DISCONNECTED);
        assertTrue(c.status().reason().contains("retrying in"), c.status().reason());
        assertNotNull(node("counterUInt1604").qualityReason());
        sim = SimulatorFixture.start(port, 22, 6);
        await().atMost(WAIT).until(() -> node("counterUInt1604").quality() == Quality.GOOD);
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.CONNECTED);
        assertEquals(1, c.status().reconnects());
    }

    @Test
    void anUnreachableDeviceIsReportedAndBlocksNobody() throws Exception {
        int nobody = FreePorts.next();
        long t0 = System.nanoTime();
        ModbusConnection c = connect("port", nobody, "tags", "a,,input,0,int16");
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500), "start does not wait");
        await().atMost(WAIT).until(() -> c.status().state() == ConnectorState.DISCONNECTED);
        assertTrue(c.status().reason().startsWith("cannot connect to 127.0.0.1:" + nobody), c.status().reason());
        await().atMost(WAIT).until(() -> node("a") != null);
        assertEquals(Quality.BAD, node("a").quality());
        assertTrue(node("a").qualityReason().startsWith("cannot connect to 127.0.0.1:" + nobody));
        // reads fail fast with the reason
        Throwable e = c.read("a").toCompletableFuture().handle((v, x) -> x).get(5, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("not connected"), e.getMessage());
    }

    private TagValue node(String tag) {
        return connections.node(tag);
    }
}
