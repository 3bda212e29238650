package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.core.standalone.StandaloneCore;

/**
 * Reported-state ingestion: 10,000 tags (100 connections x 100 tags, each connection an implicit
 * thing) change every 100 ms on the real tag bus; the real ReportedStateWriter and
 * ThingRegistryImpl write them into the real shadow store.
 */
public final class IngestionBench extends Benchmark {

    private static final int CONNECTIONS = 100;
    private static final int TAGS = 100;
    private static final long ROUND_MILLIS = 100;
    private static final double FINAL = -1.0;

    public IngestionBench(PrintStream out, long measureMillis) {
        super(out, measureMillis);
    }

    public void run(ShadowStore store) throws Exception {
        StandaloneCore core = new StandaloneCore();
        TagSink bus = core.sink();
        // the defaults of etc/org.fogwerk.core.reported.cfg (report.interval 1000 ms, 2 writer threads)
        var writer = core.reportedState(store, Map.of());
        core.addListener(writer, Map.of("component.name", "reported-state", TagListener.QUEUE_CAPACITY_PROPERTY,
                100_000));
        String[] conn = Stats.names("line%03d", CONNECTIONS);
        String[] tag = Stats.names("tag%03d", TAGS);
        AtomicBoolean stop = new AtomicBoolean();
        long[] published = new long[1];
        Thread publisher = new Thread(() -> {
            long next = System.nanoTime();
            long round = 0;
            List<TagValue> batch = new ArrayList<>(TAGS);
            while (!stop.get()) {
                long now = System.currentTimeMillis();
                for (int c = 0; c < CONNECTIONS; c++) {
                    batch.clear();
                    for (int t = 0; t < TAGS; t++) {
                        batch.add(TagValue.good(conn[c], tag[t], round * 0.5 + t, now, now));
                    }
                    bus.publishAll(batch);
                    published[0] += TAGS;
                }
                round++;
                next += ROUND_MILLIS * 1_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        }, "bench-publisher");
        try {
            publisher.start();
            Stats.sleep(3000); // warm up, every thing created
            long w0 = writer.writes();
            long f0 = writer.failedWrites();
            Counters l0 = core.bus().listeners().get("reported-state");
            long p0 = published[0];
            long wchar0 = ProcIo.writeCalls();
            long storage0 = ProcIo.storageWrites();
            long t0 = System.nanoTime();
            Stats.sleep(measureMillis);
            double secs = (System.nanoTime() - t0) / 1e9;
            long writes = writer.writes() - w0;
            long failures = writer.failedWrites() - f0;
            Counters l1 = core.bus().listeners().get("reported-state");
            long pub = published[0] - p0;
            long wchar = ProcIo.writeCalls() - wchar0;
            long storage = ProcIo.storageWrites() - storage0;
            stop.set(true);
            publisher.join();

            // one last change of every tag: how long until every shadow shows it
            long now = System.currentTimeMillis();
            long s0 = System.nanoTime();
            for (int c = 0; c < CONNECTIONS; c++) {
                List<TagValue> batch = new ArrayList<>(TAGS);
                for (int t = 0; t < TAGS; t++) {
                    batch.add(TagValue.good(conn[c], tag[t], FINAL, now, now));
                }
                bus.publishAll(batch);
            }
            boolean all = Stats.await(() -> allFinal(store, conn, tag), 30_000);
            double lag = (System.nanoTime() - s0) / 1e9;

            out.printf("  heap used after GC, writer and store running: %s%n", Stats.mb(Stats.heapUsedAfterGc()));
            Table table = new Table(String.format("Reported-state ingestion: %,d tags (%d things x %d fields) changing"
                    + " every %d ms", CONNECTIONS * TAGS, CONNECTIONS, TAGS, ROUND_MILLIS),
                    "tag values published/s", "values taken by the writer/s", "dropped for the writer/s",
                    "shadow updates/s", "failed updates", "bytes written/update (write calls)",
                    "bytes written/update (to storage)", "last change in every shadow after");
            table.row(Table.f0(pub / secs), Table.f0((l1.delivered() - l0.delivered()) / secs),
                    Table.f0((l1.dropped() - l0.dropped()) / secs), Table.f0(writes / secs), failures,
                    writes == 0 || wchar < 0 ? "-" : Table.f0((double) wchar / writes),
                    writes == 0 || storage < 0 ? "-" : Table.f0((double) storage / writes),
                    all ? String.format("%.2f s", lag) : "not within 30 s");
            table.print(out);
            out.println("  ReportedStateWriter coalesces per thing and writes each thing at most once per"
                    + " report.interval (default 1,000 ms): shadow updates/s is bounded by design at about things/s.");
        } finally {
            stop.set(true);
            publisher.join();
            core.close();
        }
    }

    private static boolean allFinal(ShadowStore store, String[] conn, String[] tag) {
        try {
            for (String c : conn) {
                ShadowDocument d = store.get(c, ShadowStore.CLASSIC);
                Object v = d == null || d.reported() == null ? null : d.reported().get(tag[tag.length - 1]);
                Object v0 = d == null || d.reported() == null ? null : d.reported().get(tag[0]);
                if (!(v instanceof Number) || ((Number) v).doubleValue() != FINAL || !(v0 instanceof Number)
                        || ((Number) v0).doubleValue() != FINAL) {
                    return false;
                }
            }
            return true;
        } catch (ShadowException e) {
            return false;
        }
    }
}
