package org.fogwerk.uplink.sparkplug.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of the edge node with their aliases, kept in {@code aliases.tsv} of the uplink's
 * profile directory. Data messages carry only the alias and wait in the outbox, possibly across
 * restarts, so an alias never changes meaning: it is on disk before a message that uses it is.
 * Appended only when a metric is seen for the first time.
 */
final class MetricTable implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricTable.class);

    /** One metric: device ({@code ""} for the node itself), name, alias, datatype, and the tag behind it. */
    record Def(String device, String name, long alias, int datatype, String connection, String tag) {
    }

    private final Map<String, Map<String, Def>> byDevice = new ConcurrentHashMap<>();
    private final Map<Long, Def> byAlias = new ConcurrentHashMap<>();
    private final FileChannel file;
    private long next = 1;
    private volatile boolean unsynced;

    MetricTable(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path path = dir.resolve("aliases.tsv");
        if (Files.exists(path)) {
            int line = 0;
            for (String l : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                line++;
                Def d = parse(l);
                if (d == null) {
                    // the last line may be cut short by a crash while appending; its messages were never committed
                    LOG.debug("{}:{}: ignored", path, line);
                    continue;
                }
                put(d);
                next = Math.max(next, d.alias() + 1);
            }
        }
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /** The metric, or {@code null}. Hot path: no allocation. */
    Def get(String device, String name) {
        Map<String, Def> m = byDevice.get(device);
        return m == null ? null : m.get(name);
    }

    Def byAlias(long alias) {
        return byAlias.get(alias);
    }

    /** The metric, defined now when it is new; on disk after the next {@link #sync}. */
    synchronized Def define(String device, String name, int datatype, String connection, String tag) {
        Def d = get(device, name);
        if (d != null) {
            return d;
        }
        d = new Def(device, name, next, datatype, connection == null ? "" : connection, tag == null ? "" : tag);
        String line = enc(device) + '\t' + enc(name) + '\t' + d.alias() + '\t' + datatype + '\t' + enc(d.connection())
                + '\t' + enc(d.tag()) + '\n';
        try {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                file.write(b);
            }
            unsynced = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the alias of metric " + name + " of " + device, e);
        }
        next++;
        put(d);
        return d;
    }

    /** Forces new definitions to disk: before a message that uses them can be committed to the outbox. */
    void sync() {
        if (!unsynced) {
            return;
        }
        synchronized (this) {
            try {
                file.force(false);
                unsynced = false;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record new metric aliases", e);
            }
        }
    }

    /**
     * The metrics of a device sorted by alias, and the next alias at that moment: every metric of
     * the device with a smaller alias is in the list.
     */
    synchronized Snapshot snapshot(String device) {
        Map<String, Def> m = byDevice.get(device);
        List<Def> defs = m == null ? new ArrayList<>() : new ArrayList<>(m.values());
        defs.sort(Comparator.comparingLong(Def::alias));
        return new Snapshot(defs, next);
    }

    record Snapshot(List<Def> defs, long nextAlias) {
    }

    /** Devices that have metrics, the node's own ({@code ""}) left out. */
    List<String> devices() {
        List<String> d = new ArrayList<>(byDevice.keySet());
        d.remove("");
        d.sort(null);
        return d;
    }

    private void put(Def d) {
        byDevice.computeIfAbsent(d.device(), k -> new ConcurrentHashMap<>()).put(d.name(), d);
        byAlias.put(d.alias(), d);
    }

    private static Def parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            return null;
        }
        try {
            return new Def(dec(f[0]), dec(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]), dec(f[4]), dec(f[5]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            LOG.debug("closing the alias table: {}", e.toString());
        }
    }
}
