package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.camel.internal.edge.EdgeFilters;
import org.fogwerk.camel.internal.edge.TagFilter;
import org.fogwerk.camel.standalone.StandaloneCamel;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.testing.TestUplink;

/**
 * Values/s through {@code fogwerk:tags} -> deadband filter -> {@code fogwerk:uplink}
 * with 10,000 tags on the real tag bus, next to the same work without Camel (a bus listener, the
 * same filter, {@code Uplink.submit}), with the ratio. The uplink counts what it is given and
 * returns at once, so the figures are the cost of routing, not of a broker or an outbox.
 */
public final class CamelBench extends Benchmark {

    private static final int CONNECTIONS = 100;
    private static final int TAGS = 100;
    /** Each round a value moves by 0.3, so a deadband of 0.5 lets every second value of a tag through. */
    private static final double STEP = 0.3;
    private static final String DEADBAND = "0.5";
    private static final int QUEUE = 100_000;
    /** Values published but not yet taken by the listener: the publisher waits above this, so nothing drops. */
    private static final long IN_FLIGHT = 30_000;
    private static final long WARM_UP_MILLIS = 3000;
    private static final String UPLINK = "bench";

    public CamelBench(PrintStream out, long measureMillis) {
        super(out, measureMillis);
    }

    private record Row(String path, double valuesPerSecond, double passedPerSecond, double submitsPerSecond,
            long dropped) {
    }

    public void run() throws Exception {
        out.printf("%nCamel routing: %,d tags (%d connections x %d tags) on the real tag bus, every value %.1f from"
                + " the tag's last, deadband=%s (about half pass); uplink: a counting Uplink in this JVM (no broker,"
                + " no outbox), so the figures are the cost of routing; the publisher keeps at most %,d values in"
                + " flight; %d s per row after %d s warm-up%n", CONNECTIONS * TAGS, CONNECTIONS, TAGS, STEP, DEADBAND,
                IN_FLIGHT, measureMillis / 1000, WARM_UP_MILLIS / 1000);
        List<Row> rows = new ArrayList<>();
        rows.add(direct());
        rows.add(camel("fogwerk:tags?deadband=" + DEADBAND + " -> fogwerk:uplink/" + UPLINK, new RouteBuilder() {
            @Override
            public void configure() {
                from("fogwerk:tags?queueSize=" + QUEUE + "&deadband=" + DEADBAND).routeId("bench")
                        .to("fogwerk:uplink/" + UPLINK);
            }
        }));
        rows.add(camel("fogwerk:tags -> fogwerk:edge/filter?deadband=" + DEADBAND + " -> fogwerk:uplink/" + UPLINK,
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("fogwerk:tags?queueSize=" + QUEUE).routeId("bench")
                                .to("fogwerk:edge/filter?deadband=" + DEADBAND).to("fogwerk:uplink/" + UPLINK);
                    }
                }));
        String batch = "fogwerk:edge/batch?size=500&linger=50ms";
        rows.add(camel("fogwerk:tags?deadband=" + DEADBAND + " -> " + batch + " => fogwerk:uplink/" + UPLINK
                + " (one submit per batch)", new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("fogwerk:tags?queueSize=" + QUEUE + "&deadband=" + DEADBAND).routeId("bench").to(batch);
                        from(batch).to("fogwerk:uplink/" + UPLINK);
                    }
                }));
        print(rows);
    }

    /** Bus listener -> the same filter -> Uplink.submit of each value that passes, in the listener's thread. */
    private Row direct() throws Exception {
        try (StandaloneCore node = new StandaloneCore()) {
            CountingUplink uplink = new CountingUplink();
            Map<String, Object> options = new HashMap<>(Map.of("deadband", DEADBAND));
            TagFilter filter = EdgeFilters.fromParameters(options);
            TagListener listener = values -> {
                for (int i = 0, n = values.size(); i < n; i++) {
                    TagValue v = values.get(i);
                    if (filter.accept(v)) {
                        uplink.submit(List.of(v));
                    }
                }
            };
            node.addListener(listener, Map.of("component.name", "bench", TagListener.QUEUE_CAPACITY_PROPERTY, QUEUE));
            try {
                return measure("bus listener -> the same filter -> Uplink.submit (no Camel)", node, "bench", uplink);
            } finally {
                node.removeListener(listener);
            }
        }
    }

    private Row camel(String path, RouteBuilder routes) throws Exception {
        try (StandaloneCore node = new StandaloneCore()) {
            CountingUplink uplink = new CountingUplink();
            DefaultCamelContext context = StandaloneCamel.context(node, uplink);
            context.start();
            try {
                context.addRoutes(routes);
                return measure(path, node, "camel-route:bench", uplink);
            } finally {
                context.stop();
            }
        }
    }

    private Row measure(String path, StandaloneCore node, String listener, CountingUplink uplink) throws Exception {
        String[] conn = Stats.names("line%03d", CONNECTIONS);
        String[] tag = Stats.names("tag%03d", TAGS);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] published = new long[1];
        Thread publisher = new Thread(() -> {
            try {
                List<TagValue> batch = new ArrayList<>(TAGS);
                for (long round = 0; !stop.get(); round++) {
                    while (published[0] - taken(node, listener) > IN_FLIGHT && !stop.get()) {
                        LockSupport.parkNanos(500_000);
                    }
                    long now = System.currentTimeMillis();
                    for (int c = 0; c < CONNECTIONS; c++) {
                        batch.clear();
                        for (int t = 0; t < TAGS; t++) {
                            batch.add(TagValue.good(conn[c], tag[t], t + round * STEP, now, now));
                        }
                        node.sink().publishAll(batch);
                        published[0] += TAGS;
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "bench-publisher");
        publisher.start();
        try {
            Stats.sleep(WARM_UP_MILLIS);
            Counters l0 = node.bus().listeners().get(listener);
            long dropped0 = node.bus().total().dropped();
            long passed0 = uplink.values.sum();
            long submits0 = uplink.submits.sum();
            long t0 = System.nanoTime();
            Stats.sleep(measureMillis);
            Counters l1 = node.bus().listeners().get(listener);
            double secs = (System.nanoTime() - t0) / 1e9;
            long dropped = node.bus().total().dropped() - dropped0;
            long passed = uplink.values.sum() - passed0;
            long submits = uplink.submits.sum() - submits0;
            if (failure.get() != null || l0 == null || l1 == null) {
                throw new IllegalStateException(path + ": the run failed", failure.get());
            }
            return new Row(path, (l1.delivered() - l0.delivered()) / secs, passed / secs, submits / secs, dropped);
        } finally {
            stop.set(true);
            publisher.join();
            // let the path finish what is in flight before it is taken down
            Stats.await(() -> taken(node, listener) >= published[0], 30_000);
        }
    }

    /** Values the listener has taken off its queue (delivered or dropped). */
    private static long taken(StandaloneCore node, String listener) {
        Counters c = node.bus().listeners().get(listener);
        return c == null ? 0 : c.delivered() + c.dropped();
    }

    private void print(List<Row> rows) {
        double base = rows.get(0).valuesPerSecond;
        Table t = new Table("Values through a filter to an uplink, with and without Camel", "path", "values/s",
                "passed to the uplink/s", "Uplink.submit calls/s", "dropped", "ratio to no Camel");
        for (Row r : rows) {
            t.row(r.path, Table.f0(r.valuesPerSecond), Table.f0(r.passedPerSecond), Table.f0(r.submitsPerSecond),
                    r.dropped, Table.f2(r.valuesPerSecond / base));
        }
        t.print(out);
        out.println("  values/s: values the listener (the route's fogwerk:tags consumer, or the plain listener) took"
                + " from the bus per second while the publisher kept it busy; dropped: values the bus dropped in the"
                + " measured interval (0 means the publisher never outran the path).");
    }

    /** Counts what it is given and accepts it at once. */
    private static final class CountingUplink extends TestUplink {
        private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
        final LongAdder values = new LongAdder();
        final LongAdder submits = new LongAdder();

        CountingUplink() {
            super(UPLINK);
        }

        @Override
        public CompletionStage<Void> submit(List<TagValue> v) {
            values.add(v.size());
            submits.increment();
            return DONE;
        }
    }
}
