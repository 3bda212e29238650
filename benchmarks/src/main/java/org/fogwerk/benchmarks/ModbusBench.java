package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import org.fogwerk.api.DataType;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.connector.modbus.standalone.StandaloneModbus;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.simulator.internal.ModbusSimulator;
import org.fogwerk.simulator.internal.ModbusSimulatorConfig;
import org.fogwerk.testing.Configs;

/**
 * Ten simulated Modbus TCP devices of about 200 registers each, polled at 100 ms by the
 * Fogwerk connector publishing into the real tag bus, next to a bare j2mod polling loop doing
 * the same reads in the same run.
 */
public final class ModbusBench extends Benchmark {

    private static final int DEVICES = 10;
    private static final int TARGET_REGISTERS = 200;
    private static final int UNIT = 1;
    private static final int MAX_REGISTERS = 125;
    private static final int MAX_BITS = 2000;

    private final List<ModbusSimulator> sims = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<String> tagLines = new ArrayList<>();
    private int registers;
    private int bits;

    public ModbusBench(PrintStream out, long measureMillis) {
        super(out, measureMillis);
    }

    /** One measured run of one client. */
    private record Result(String client, long periodMs, double seconds, double requestsPerCycle, long cycles,
            long skipped, long[] jitterMicros, int jitterCount, long busValues) {
    }

    public void run() throws Exception {
        int tagCount = chooseTagCount();
        for (int i = 0; i < DEVICES; i++) {
            int port = Stats.freePort();
            // values change every 10 ms, so every poll cycle publishes changes (the jitter is read from them)
            ModbusSimulator sim = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, "port", port, "tag.count", tagCount,
                    "writable.count", 0, "update.interval", 10));
            sims.add(sim);
            ports.add(port);
        }
        try {
            for (ModbusSimulator sim : sims) {
                if (!Stats.await(() -> sim.status().running(), 10_000)) {
                    throw new IllegalStateException("Modbus simulator did not start: " + sim.status());
                }
            }
            count(sims.get(0).tags());
            out.printf("%nModbus: %d simulated devices on 127.0.0.1, tag.count %d each = %d input registers + %d"
                    + " discrete inputs per device, values changing every 10 ms; %d s measured per row%n",
                    DEVICES, tagCount, registers, bits, measureMillis / 1000);

            List<Result> results = new ArrayList<>();
            results.add(fogwerk(100));
            results.add(bare(100, measureMillis));
            results.add(fogwerk(10));
            results.add(bare(0, Math.min(measureMillis, 5000)));
            print(results);
        } finally {
            sims.forEach(ModbusSimulator::deactivate);
        }
    }

    /** The smallest tag count whose read-only tags fill at least TARGET_REGISTERS input registers. */
    private int chooseTagCount() {
        int port = Stats.freePort();
        ModbusSimulator probe = new ModbusSimulator(Configs.typed(ModbusSimulatorConfig.class, "port", port, "tag.count", 400,
                "writable.count", 0));
        try {
            int regs = 0;
            int n = 0;
            for (SimulatedTag t : probe.tags()) {
                n++;
                regs += width(t);
                if (regs >= TARGET_REGISTERS) {
                    return n;
                }
            }
            return n;
        } finally {
            probe.deactivate();
        }
    }

    private static int width(SimulatedTag t) {
        switch (t.dataType()) {
            case BOOLEAN:
                return 0;
            case INT32:
            case UINT32:
            case FLOAT:
                return 2;
            case INT64:
            case UINT64:
            case DOUBLE:
                return 4;
            case STRING:
                return 8;
            default:
                return 1;
        }
    }

    private void count(List<SimulatedTag> tags) {
        tagLines.clear();
        registers = 0;
        bits = 0;
        for (SimulatedTag t : tags) {
            if (t.dataType() == DataType.BOOLEAN) {
                bits++;
            }
            registers += width(t);
            tagLines.add(StandaloneModbus.tagLine(t, false));
        }
    }

    // ------------------------------------------------------------------ Fogwerk connector

    /** Keeps, per connection, the distinct source times of the values (one per poll cycle that changed something). */
    private static final class CycleRecorder implements TagListener {
        final Map<String, long[]> times = new ConcurrentHashMap<>();
        final Map<String, int[]> sizes = new ConcurrentHashMap<>();
        volatile boolean recording;

        @Override
        public void onValues(List<TagValue> values) {
            if (!recording) {
                return;
            }
            for (TagValue v : values) {
                if (v.quality() != Quality.GOOD) {
                    continue;
                }
                long[] t = times.computeIfAbsent(v.connectionId(), k -> new long[100_000]);
                int[] n = sizes.computeIfAbsent(v.connectionId(), k -> new int[1]);
                if (n[0] == 0 || t[n[0] - 1] != v.sourceTime()) {
                    if (n[0] < t.length) {
                        t[n[0]++] = v.sourceTime();
                    }
                }
            }
        }
    }

    private Result fogwerk(long periodMs) {
        try (StandaloneCore core = new StandaloneCore()) {
            CycleRecorder recorder = new CycleRecorder();
            core.addListener(recorder, "bench-cycles", 100_000);
            List<Connector> connections = new ArrayList<>();
            try {
                for (int i = 0; i < DEVICES; i++) {
                    Map<String, Object> cfg = new HashMap<>();
                    cfg.put("host", "127.0.0.1");
                    cfg.put("port", ports.get(i));
                    cfg.put("unit.id", UNIT);
                    cfg.put("poll.interval", periodMs);
                    cfg.put("tags", String.join(";", tagLines));
                    Connector c = StandaloneModbus.open("dev" + i, cfg, core.sink());
                    connections.add(c);
                }
                for (Connector c : connections) {
                    if (!Stats.await(() -> c.status().state() == ConnectorState.CONNECTED, 10_000)) {
                        throw new IllegalStateException("connection " + c.id() + " not connected: " + c.status());
                    }
                }
                Stats.sleep(3000); // warm up
                long req0 = sum(connections, StandaloneModbus::requests);
                long over0 = sum(connections, StandaloneModbus::overruns);
                long in0 = core.bus().total().in();
                recorder.recording = true;
                long t0 = System.nanoTime();
                Stats.sleep(measureMillis);
                long req1 = sum(connections, StandaloneModbus::requests);
                long over1 = sum(connections, StandaloneModbus::overruns);
                long in1 = core.bus().total().in();
                double secs = (System.nanoTime() - t0) / 1e9;
                recorder.recording = false;
                double perCycle = (double) sum(connections, StandaloneModbus::requestsPerCycle) / DEVICES;
                long cycles = Math.round((req1 - req0) / perCycle);
                if (periodMs == 100) {
                    out.printf("  heap used after GC with %d Fogwerk connections polling: %s%n", DEVICES,
                            Stats.mb(Stats.heapUsedAfterGc()));
                }
                // jitter: interval between consecutive cycle starts (the values' source time, ms resolution)
                long[] jitter = new long[1_000_000];
                int n = 0;
                for (Map.Entry<String, long[]> e : recorder.times.entrySet()) {
                    long[] t = e.getValue();
                    int size = recorder.sizes.get(e.getKey())[0];
                    for (int i = 1; i < size && n < jitter.length; i++) {
                        long d = t[i] - t[i - 1];
                        if (d < periodMs * 3 / 2) {
                            jitter[n++] = Math.abs(d - periodMs) * 1000;
                        }
                    }
                }
                return new Result("Fogwerk connector -> tag bus", periodMs, secs, perCycle, cycles, over1 - over0,
                        jitter, n, in1 - in0);
            } finally {
                connections.forEach(StandaloneModbus::close);
                core.removeListener(recorder);
            }
        }
    }

    // ------------------------------------------------------------------ bare j2mod

    /** One thread per device doing the same reads; periodMs 0 polls back to back (the ceiling). */
    private Result bare(long periodMs, long millis) throws Exception {
        List<ModbusTCPMaster> masters = new ArrayList<>();
        for (int port : ports) {
            ModbusTCPMaster m = new ModbusTCPMaster("127.0.0.1", port, 1000, false, false);
            m.connect();
            masters.add(m);
        }
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        long[][] jitter = new long[DEVICES][100_000];
        int[] jitterCount = new int[DEVICES];
        long[] cycles = new long[DEVICES];
        long[] skipped = new long[DEVICES];
        String[] failure = new String[DEVICES];
        int perCycle = (registers + MAX_REGISTERS - 1) / MAX_REGISTERS + (bits + MAX_BITS - 1) / MAX_BITS;
        List<Thread> threads = new ArrayList<>();
        long periodNanos = periodMs * 1_000_000L;
        for (int d = 0; d < DEVICES; d++) {
            int dev = d;
            ModbusTCPMaster m = masters.get(d);
            Thread t = new Thread(() -> {
                long next = System.nanoTime();
                long lastStart = 0;
                while (!stop.get()) {
                    if (periodNanos > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                            continue;
                        }
                    }
                    long start = System.nanoTime();
                    try {
                        for (int a = 0; a < registers; a += MAX_REGISTERS) {
                            m.readInputRegisters(UNIT, a, Math.min(MAX_REGISTERS, registers - a));
                        }
                        for (int a = 0; a < bits; a += MAX_BITS) {
                            m.readInputDiscretes(UNIT, a, Math.min(MAX_BITS, bits - a));
                        }
                    } catch (Exception e) {
                        failure[dev] = e.toString();
                        return;
                    }
                    if (measuring.get()) {
                        cycles[dev]++;
                        if (periodNanos > 0 && lastStart != 0 && jitterCount[dev] < jitter[dev].length) {
                            long interval = start - lastStart;
                            if (interval < periodNanos * 3 / 2) {
                                jitter[dev][jitterCount[dev]++] = Math.abs(interval - periodNanos) / 1000;
                            }
                        }
                        lastStart = start;
                    }
                    if (periodNanos > 0) {
                        // fixed rate as the connector: a late cycle skips the slots that passed
                        next += periodNanos;
                        long now = System.nanoTime();
                        if (next - now <= 0) {
                            long n = (now - next) / periodNanos + 1;
                            if (measuring.get()) {
                                skipped[dev] += n;
                            }
                            next += n * periodNanos;
                        }
                    }
                }
            }, "bench-j2mod-" + d);
            threads.add(t);
            t.start();
        }
        Stats.sleep(2000); // warm up
        measuring.set(true);
        long t0 = System.nanoTime();
        Stats.sleep(millis);
        measuring.set(false);
        double secs = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : threads) {
            t.join(5000);
        }
        masters.forEach(ModbusTCPMaster::disconnect);
        for (String f : failure) {
            if (f != null) {
                throw new IllegalStateException("bare j2mod poll failed: " + f);
            }
        }
        long total = 0;
        long skip = 0;
        long[] all = new long[DEVICES * 100_000];
        int n = 0;
        for (int d = 0; d < DEVICES; d++) {
            total += cycles[d];
            skip += skipped[d];
            System.arraycopy(jitter[d], 0, all, n, jitterCount[d]);
            n += jitterCount[d];
        }
        return new Result(periodMs > 0 ? "bare j2mod ModbusTCPMaster loop" : "bare j2mod, back to back (ceiling)",
                periodMs, secs, perCycle, total, skip, all, n, -1);
    }

    private void print(List<Result> results) {
        Table t = new Table("Modbus TCP polling, " + DEVICES + " devices x (" + registers + " registers + " + bits
                + " discrete inputs)",
                "client", "interval", "requests/cycle/device", "cycles/s (all devices)", "registers/s",
                "discrete inputs/s", "bus values/s (changes)", "jitter p50", "jitter p99", "jitter max",
                "cycles skipped");
        for (Result r : results) {
            double cps = r.cycles / r.seconds;
            double max = r.jitterCount == 0 ? Double.NaN : Stats.percentile(r.jitterMicros, r.jitterCount, 100);
            t.row(r.client, r.periodMs == 0 ? "none" : r.periodMs + " ms", Table.f1(r.requestsPerCycle),
                    Table.f1(cps), Table.f0(cps * registers), Table.f0(cps * bits),
                    r.busValues < 0 ? "-" : Table.f0(r.busValues / r.seconds),
                    jitter(Stats.percentile(r.jitterMicros, r.jitterCount, 50)),
                    jitter(Stats.percentile(r.jitterMicros, r.jitterCount, 99)), jitter(max),
                    r.periodMs == 0 ? "-" : String.valueOf(r.skipped));
        }
        t.print(out);
        out.println("  jitter = |interval between consecutive cycle starts - poll interval|. Fogwerk: cycle start read"
                + " from the source time stamped on the values (ms resolution, taken at the start of each cycle),"
                + " nothing added to the connector; bare loop: System.nanoTime at the start of each cycle.");
        out.println("  registers/s = cycles x registers per device; cycles from the connector's request counter"
                + " / requests per cycle; cycles skipped = overrun cycles counted by the connector.");
    }

    private static String jitter(double micros) {
        return Double.isNaN(micros) ? "-" : String.format("%.2f ms", micros / 1000.0);
    }

    private static long sum(List<Connector> connections, ToLongFunction<Connector> counter) {
        return connections.stream().mapToLong(counter).sum();
    }
}
