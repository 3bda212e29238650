package org.fogwerk.benchmarks;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.bus.Counters;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.web.standalone.StandaloneWeb;

/**
 * The HTTP face on the Jetty line Pax Web runs, over the node's real tag bus,
 * connector and thing registries and shadow store, with one connection of 10,000 tags: latency
 * of one GET of all their latest values, of a /metrics scrape, and five event stream clients at
 * 10,000 values/s next to the same load without them (values a stand-in uplink listener gets,
 * drops at the connection).
 */
public final class WebBench extends Benchmark {

    private static final int TAGS = 10_000;
    private static final int RATE = 10_000;
    private static final int CLIENTS = 5;

    public WebBench(PrintStream out, long measureMillis) {
        super(out, measureMillis);
    }

    public void run() throws Exception {
        Path base = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target"), "bench-web"));
        var store = ShadowStores.open(Files.createTempDirectory(base, "store"));
        ReportingCore core = new ReportingCore(store);
        SyntheticConnection connection = new SyntheticConnection("bench", core.sink());
        core.add(connection);
        StandaloneWeb web = new StandaloneWeb(core.connectors(), core.bus(), core.things(), store);
        int port = web.port();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            out.printf("%nHTTP (Jetty 9.4, the node's servlets, real tag bus and registries): one connection of %,d"
                    + " tags; %d s per row%n", TAGS, measureMillis / 1000);
            connection.publishRound();
            Stats.await(() -> core.bus().latest("bench").size() == TAGS, 10_000);
            latency(http, port, "/api/v1/connectors/bench/tags", "GET latest values of 10,000 tags");
            latency(http, port, "/metrics", "GET /metrics (node with 10,000 tags)");
            streams(core, connection, web, http, port);
        } finally {
            connection.stop();
            web.close();
            core.close();
            store.close();
        }
    }

    private void latency(HttpClient http, int port, String path, String what) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic YmVuY2g6YmVuY2g=").GET().build();
        long size = 0;
        long warmEnd = System.currentTimeMillis() + Math.min(5_000, measureMillis);
        while (System.currentTimeMillis() < warmEnd) {
            size = http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length;
        }
        long[] samples = new long[100_000];
        int n = 0;
        long end = System.currentTimeMillis() + measureMillis;
        while (System.currentTimeMillis() < end && n < samples.length) {
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            samples[n++] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode());
            }
        }
        out.printf("  %-42s %6d requests  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  %,d bytes%n", what, n,
                Stats.percentile(samples, n, 50) / 1e6, Stats.percentile(samples, n, 99) / 1e6,
                Stats.percentile(samples, n, 100) / 1e6, size);
    }

    private void streams(ReportingCore core, SyntheticConnection connection, StandaloneWeb web, HttpClient http, int port)
            throws Exception {
        LongAdder uplink = new LongAdder();
        TagListener standIn = values -> uplink.add(values.size());
        core.addListener(standIn, "stand-in-uplink", 100_000);
        try {
            out.printf("  %d event stream clients, the connection publishing %,d values/s, a counting listener as"
                    + " the uplink:%n", CLIENTS, RATE);
            row("no event stream clients", core, connection, uplink, List.of());
            core.addListener(web.eventListener(), "org.fogwerk.web.events", 10_000);
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new Client(http, port));
            }
            Stats.await(() -> web.eventClients() == CLIENTS, 10_000);
            row(CLIENTS + " event stream clients", core, connection, uplink, clients);
            clients.forEach(Client::close);
        } finally {
            core.removeListener(standIn);
        }
    }

    private void row(String what, ReportingCore core, SyntheticConnection connection, LongAdder uplink,
            List<Client> clients) {
        Counters before = core.bus().connections().get("bench");
        long uplinkBefore = uplink.sum();
        long[] clientBefore = clients.stream().mapToLong(c -> c.values.get()).toArray();
        long t0 = System.nanoTime();
        connection.publishFor(measureMillis, RATE);
        Stats.await(() -> uplink.sum() - uplinkBefore >= connection.lastPublished, 5_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Counters after = core.bus().connections().get("bench");
        StringBuilder perClient = new StringBuilder();
        for (int i = 0; i < clients.size(); i++) {
            Client c = clients.get(i);
            perClient.append(String.format(" %,.0f/s (said dropped %,d)", (c.values.get() - clientBefore[i]) / seconds,
                    c.saidDropped.get()));
        }
        out.printf("    %-28s published %,9.0f/s  bus dropped %,d  uplink got %,9.0f/s%s%n", what,
                (after.in() - before.in()) / seconds, after.dropped() - before.dropped(),
                (uplink.sum() - uplinkBefore) / seconds, clients.isEmpty() ? "" : "  clients:" + perClient);
    }

    /** An event stream client that reads everything and counts values and what the node said it dropped. */
    private static final class Client {
        final AtomicLong values = new AtomicLong();
        final AtomicLong saidDropped = new AtomicLong();
        private final CompletableFuture<Void> reading;
        private volatile InputStream body;

        Client(HttpClient http, int port) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/events"))
                    .header("Authorization", "Basic YmVuY2g6YmVuY2g=").GET().build();
            body = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
            reading = CompletableFuture.runAsync(this::read);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                boolean droppedNext = false;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event: value")) {
                        values.incrementAndGet();
                    } else if (line.startsWith("event: dropped")) {
                        droppedNext = true;
                    } else if (droppedNext && line.startsWith("data: {\"dropped\":")) {
                        saidDropped.set(Long.parseLong(line.replaceAll("\\D*(\\d+).*", "$1")));
                        droppedNext = false;
                    }
                }
            } catch (java.io.IOException e) {
                // closed by the benchmark
            }
        }

        void close() {
            try {
                body.close();
            } catch (java.io.IOException e) {
                // already closed
            }
            reading.cancel(true);
        }
    }

    /** A connection of 10,000 DOUBLE tags that publishes rounds of values at a set rate. */
    private static final class SyntheticConnection implements Connector {
        private final String id;
        private final TagSink sink;
        private final List<TagDefinition> tags = new ArrayList<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        volatile long lastPublished;
        private long seq;

        SyntheticConnection(String id, TagSink sink) {
            this.id = id;
            this.sink = sink;
            for (int i = 0; i < TAGS; i++) {
                tags.add(TagDefinition.readOnly(String.format("tag%05d", i), "ns=2;i=" + i, DataType.DOUBLE));
            }
        }

        void publishRound() {
            List<TagValue> round = new ArrayList<>(TAGS);
            for (TagDefinition t : tags) {
                round.add(TagValue.good(id, t.name(), (double) seq++));
            }
            sink.publishAll(round);
        }

        /** Publishes {@code rate} values a second in batches of a tenth of a second. */
        void publishFor(long millis, int rate) {
            int batch = rate / 10;
            long published = 0;
            long start = System.nanoTime();
            int next = 0;
            for (int tick = 0; System.nanoTime() - start < millis * 1_000_000L && !stopped.get(); tick++) {
                List<TagValue> values = new ArrayList<>(batch);
                long now = System.currentTimeMillis();
                for (int i = 0; i < batch; i++) {
                    values.add(TagValue.good(id, tags.get(next).name(), (double) seq++, now, now));
                    next = (next + 1) % TAGS;
                }
                published += sink.publishAll(values);
                long due = start + (tick + 1) * 100_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Stats.sleep(wait / 1_000_000L);
                }
            }
            lastPublished = published;
        }

        void stop() {
            stopped.set(true);
        }

        @Override public String id() { return id; }
        @Override public String protocol() { return "synthetic"; }
        @Override public ConnectorStatus status() { return new ConnectorStatus(ConnectorState.CONNECTED, "", Instant.EPOCH, 0); }
        @Override public List<TagDefinition> tags() { return tags; }
        @Override public CompletionStage<TagValue> read(String tag) { return CompletableFuture.failedFuture(new UnsupportedOperationException()); }
        @Override public CompletionStage<WriteResult> write(String tag, Object value) { return CompletableFuture.completedFuture(WriteResult.refused(id, tag, "read-only")); }
    }
}
