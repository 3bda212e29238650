package org.fogwerk.connector.modbus.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.Access;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.connector.TagAnswers;
import org.fogwerk.support.log.QuietStart;

/**
 * One Modbus connection at run time: connects, polls its groups, reads and writes, all on its
 * own single thread, so requests to the device never overlap and a dead device blocks nobody
 * else. A connection made from a bad configuration only reports FAILED.
 */
public final class ModbusConnection implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusConnection.class);
    /** Reads and writes from outside the poll cycle that may wait at once. */
    private static final int MAX_PENDING = 64;

    private final String id;
    private final ModbusSettings settings;
    private final TagSink sink;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, TagState> states = new LinkedHashMap<>();
    private final List<TagDefinition> definitions;
    private final Map<String, TagDefinition> definitionsByName = new LinkedHashMap<>();
    private final List<PollGroup> groups = new ArrayList<>();
    private final List<TagValue> batch = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private final String configProblems;

    private volatile ConnectorStatus status;
    private volatile boolean stopped;
    /** Touched only on the executor thread. */
    private AbstractModbusMaster master;
    private boolean connected;
    private boolean everConnected;
    private final Backoff backoff;
    private long reconnects;
    private String lastConnectError = "";
    private boolean lastConnectErrorQuiet;
    private final QuietStart quietStart = new QuietStart();

    /** A connection that cannot work: bad configuration. */
    static ModbusConnection failed(String id, String reason) {
        return new ModbusConnection(id, reason);
    }

    private ModbusConnection(String id, String reason) {
        this.id = id;
        this.settings = null;
        this.backoff = null;
        this.sink = null;
        this.executor = null;
        this.definitions = List.of();
        this.configProblems = reason;
        this.status = ConnectorStatus.of(ConnectorState.FAILED, reason);
    }

    ModbusConnection(ModbusSettings settings, TagSink sink) {
        this.id = settings.id();
        this.settings = settings;
        this.backoff = new Backoff(settings.reconnectMin(), settings.reconnectMax());
        this.sink = sink;
        List<TagDefinition> defs = new ArrayList<>();
        for (TagSpec t : settings.tags()) {
            states.put(t.name(), new TagState(t));
            TagDefinition d = t.definition();
            defs.add(d);
            definitionsByName.put(t.name(), d);
        }
        this.definitions = Collections.unmodifiableList(defs);
        groups.addAll(PollGroup.plan(settings, states.values()));
        this.configProblems = settings.tagErrors().isEmpty() ? ""
                : settings.tagErrors().size() + " bad tag line(s): " + String.join("; ", settings.tagErrors());
        this.status = ConnectorStatus.of(ConnectorState.CONNECTING, "connecting to " + endpoint()
                + (configProblems.isEmpty() ? "" : "; " + configProblems));
        this.executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("fogwerk-modbus-" + id));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts connecting; returns at once. */
    public void start() {
        if (executor == null) {
            return;
        }
        executor.execute(this::connect);
    }

    /** Stops polling and closes the connection, waiting at most about the request timeout. */
    public void stop() {
        stopped = true;
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(settings.timeout() + 500L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AbstractModbusMaster m = master;
        if (m != null) {
            m.disconnect();
        }
    }

    String endpoint() {
        return settings == null ? "" : settings.endpoint();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return "modbus";
    }

    @Override
    public ConnectorStatus status() {
        return status;
    }

    @Override
    public List<TagDefinition> tags() {
        return definitions;
    }

    /** Requests sent to the device since start (polls, splits, reads, writes). */
    public long requestCount() {
        return requests.get();
    }

    /** Poll cycles skipped because the previous one overran, over all groups. */
    public long overruns() {
        long n = 0;
        for (PollGroup g : groups) {
            n += g.overruns;
        }
        return n;
    }

    /** The current read plan, for tests and the shell. */
    public List<String> plan() {
        List<String> out = new ArrayList<>();
        for (PollGroup g : groups) {
            for (Block b : g.blocks) {
                out.add(g.name + ": " + b);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- connection

    private void connect() {
        if (stopped) {
            return;
        }
        try {
            AbstractModbusMaster m = MasterIo.open(settings);
            m.connect();
            if (!m.isConnected()) {
                throw new ModbusException("the port did not open");
            }
            m.setRetries(settings.retries() + 1);
            master = m;
        } catch (Exception e) {
            String why = "cannot connect to " + endpoint() + ": " + ModbusReasons.describe(e);
            boolean quiet = quietStart.quiet();
            // the same error is logged once, and once more at WARN when start-up is over
            if (!why.equals(lastConnectError) || (lastConnectErrorQuiet && !quiet)) {
                if (quiet) {
                    LOG.info("Modbus connection {}: {} (starting up, retrying)", id, why);
                } else {
                    LOG.warn("Modbus connection {}: {}", id, why);
                }
                lastConnectError = why;
                lastConnectErrorQuiet = quiet;
            }
            forgetValues();
            scheduleReconnect(why);
            return;
        }
        connected = true;
        quietStart.connected();
        backoff.connected();
        lastConnectError = "";
        if (everConnected) {
            reconnects++;
        }
        LOG.info("Modbus connection {} connected to {}", id, endpoint());
        // a port that takes the connection is not yet a device that answers: the first poll says
        setStatus(groups.isEmpty() ? ConnectorState.CONNECTED : ConnectorState.CONNECTING,
                groups.isEmpty() ? "" : "connected to " + endpoint() + ", waiting for the device's first answer");
        if (!everConnected) {
            everConnected = true;
            long now = System.nanoTime();
            for (PollGroup g : groups) {
                g.next = now;
                executor.execute(() -> poll(g));
            }
        } else {
            for (PollGroup g : groups) {
                pollNow(g);
            }
        }
    }

    private void scheduleReconnect(String why) {
        long delay = backoff.nextDelay();
        setStatus(ConnectorState.DISCONNECTED, why + "; retrying in " + delay + " ms");
        try {
            executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /**
     * Whether the connection is still good after a request failed. On a serial bus the port is
     * fine when one unit is silent. Over TCP a request that timed out leaves the connection
     * usable (a late answer carries another transaction id and is passed over), so a gateway's
     * other units go on being polled; only when {@value Backoff#SILENT_LIMIT} requests in a row,
     * of any unit, went unanswered is the connection taken down and opened again with back-off.
     */
    private boolean stillUsable(ModbusException e) {
        AbstractModbusMaster m = master;
        if (m == null || !m.isConnected()) {
            return false;
        }
        if (settings.transport() == ModbusSettings.Transport.SERIAL) {
            return true;
        }
        return ModbusReasons.isTimeout(e) && backoff.staysAfterSilence();
    }

    private void connectionLost(Exception e) {
        String why = "connection lost: " + ModbusReasons.describe(e);
        LOG.warn("Modbus connection {} to {}: {}", id, endpoint(), why);
        connected = false;
        AbstractModbusMaster m = master;
        master = null;
        if (m != null) {
            m.disconnect();
        }
        forgetValues();
        scheduleReconnect(why);
    }

    /**
     * The node's core turns every tag BAD while the connection is down (one rule for all
     * protocols); forgetting the last values here makes the first poll after the reconnect
     * publish every tag again, so fresh values replace the BAD ones.
     */
    private void forgetValues() {
        for (TagState s : states.values()) {
            s.forget();
        }
    }

    private void setStatus(ConnectorState state, String reason) {
        ConnectorStatus s = status;
        String r = reason;
        if (!configProblems.isEmpty() && state != ConnectorState.FAILED) {
            if (state == ConnectorState.CONNECTED) {
                state = ConnectorState.DEGRADED;
            }
            r = r.isEmpty() ? configProblems : r + "; " + configProblems;
        }
        if (s.state() != state || !s.reason().equals(r) || s.reconnects() != reconnects) {
            status = new ConnectorStatus(state, r, s.state() == state ? s.since() : Instant.now(),
                    reconnects);
        }
    }

    // ---------------------------------------------------------------- polling

    /** One poll group: its plan and its fixed-rate schedule. */
    private void poll(PollGroup g) {
        if (stopped) {
            return;
        }
        try {
            if (connected) {
                pollNow(g);
            }
        } catch (RuntimeException e) {
            LOG.error("Modbus connection {}: poll of group {} failed", id, g.name, e);
            // no value of the group may stay GOOD unread: the values decoded go out, the rest is BAD
            long now = System.currentTimeMillis();
            for (Block b : g.blocks) {
                bad(b, "poll failed: " + e, now);
            }
            flush();
        } finally {
            scheduleNext(g);
        }
    }

    private void scheduleNext(PollGroup g) {
        long now = System.nanoTime();
        g.advance(now, id);
        try {
            executor.schedule(() -> poll(g), g.next - now, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void pollNow(PollGroup g) {
        batch.clear();
        long now = System.currentTimeMillis();
        Map<Integer, String> silentUnits = null;
        for (int i = 0; i < g.blocks.size() && connected; i++) {
            Block b = g.blocks.get(i);
            String silence = silentUnits == null ? null : silentUnits.get(b.unitId);
            if (silence != null) {
                // not asked again this cycle: a dead unit costs one timeout a cycle, not one a block
                bad(b, silence, now);
                continue;
            }
            try {
                try {
                    readBlock(b);
                    backoff.answered();
                    decode(b, now);
                } catch (ModbusSlaveException e) {
                    backoff.answered();
                    if (e.getType() == Modbus.ILLEGAL_ADDRESS_EXCEPTION && !b.isolated && b.tags.length > 1) {
                        List<Block> parts = split(b, now);
                        g.blocks.remove(i);
                        g.blocks.addAll(i, parts);
                        i += parts.size() - 1;
                    } else {
                        bad(b, ModbusReasons.slaveError(e), now);
                    }
                }
            } catch (MasterIo.BadAnswerException e) {
                // the device answered the request, wrongly: the connection is in step, the rest is polled
                backoff.answered();
                bad(b, "bad answer from unit " + b.unitId + " (" + b.place() + "): " + e.getMessage(), now);
            } catch (ModbusException e) {
                if (stillUsable(e)) {
                    // one silent unit must not take the others down: its tags go BAD, the rest is polled
                    String why = "no response from unit " + b.unitId + " (" + b.place() + "): "
                            + ModbusReasons.describe(e);
                    bad(b, why, now);
                    if (silentUnits == null) {
                        silentUnits = new HashMap<>();
                    }
                    silentUnits.put(b.unitId, why);
                    continue;
                }
                flush();
                connectionLost(e);
                return;
            }
        }
        flush();
        if (connected) {
            updateHealth();
        }
    }

    /**
     * A block refused with illegal data address: every tag is read alone; the tags the device
     * refuses get a block of their own (reported BAD each cycle), the others are merged again
     * with adjacent tags only, so a bad address can never poison its neighbours.
     */
    private List<Block> split(Block b, long now) throws ModbusException {
        List<TagState> good = new ArrayList<>();
        List<Block> out = new ArrayList<>();
        List<TagState> run = new ArrayList<>();
        List<TagState> sorted = new ArrayList<>(List.of(b.tags));
        sorted.sort((x, y) -> Integer.compare(x.spec.address(), y.spec.address()));
        for (TagState t : sorted) {
            Block single = Block.single(t, true);
            try {
                readBlock(single);
                decode(single, now);
                run.add(t);
                good.add(t);
            } catch (ModbusSlaveException e) {
                t.bad(id, ModbusReasons.slaveError(e), now, batch);
                if (!run.isEmpty()) {
                    out.addAll(Block.plan(run, settings.maxRegisters(), settings.maxCoils(), 0));
                    run = new ArrayList<>();
                }
                out.add(single);
                LOG.warn("Modbus connection {}: tag {} at {} refused ({}); it is read alone from now on", id,
                        t.spec.name(), t.spec.place(), ModbusReasons.slaveError(e));
            }
        }
        if (!run.isEmpty()) {
            out.addAll(Block.plan(run, settings.maxRegisters(), settings.maxCoils(), 0));
        }
        return out;
    }

    private void readBlock(Block b) throws ModbusException {
        requests.incrementAndGet();
        MasterIo.read(master, b);
    }

    private void decode(Block b, long now) {
        for (TagState s : b.tags) {
            TagSpec t = s.spec;
            Object raw = b.area.bits() ? Boolean.valueOf(b.words[t.address() - b.start] != 0)
                    : RegisterCodec.decode(b.words, t.address() - b.start, t.type(), t.order());
            s.good(id, raw, now, batch);
        }
    }

    private void bad(Block b, String why, long now) {
        for (TagState s : b.tags) {
            s.bad(id, why, now, batch);
        }
    }

    private void flush() {
        if (!batch.isEmpty()) {
            sink.publishAll(batch);
            batch.clear();
        }
    }

    private void updateHealth() {
        int bad = 0;
        TagState first = null;
        for (TagState s : states.values()) {
            if (s.bad()) {
                bad++;
                if (first == null) {
                    first = s;
                }
            }
        }
        String skipped = PollGroup.skipped(groups, System.nanoTime());
        if (bad == 0) {
            setStatus(ConnectorState.CONNECTED, skipped);
        } else {
            setStatus(ConnectorState.DEGRADED, bad + " of " + states.size() + " tags bad, e.g. "
                    + first.spec.name() + ": " + first.reason() + (skipped.isEmpty() ? "" : "; " + skipped));
        }
    }

    // ---------------------------------------------------------------- reads and writes

    private <T> CompletableFuture<T> submit(String what, Op<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (executor == null) {
            f.completeExceptionally(new IllegalStateException("connection " + id + " is FAILED: " + configProblems));
            return f;
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            f.completeExceptionally(new IllegalStateException("connection " + id + " is busy: " + MAX_PENDING
                    + " requests waiting"));
            return f;
        }
        try {
            executor.execute(() -> {
                pending.decrementAndGet();
                if (!connected) {
                    f.completeExceptionally(new IllegalStateException("connection " + id + " is not connected: "
                            + status.reason()));
                    return;
                }
                try {
                    T result = op.run();
                    backoff.answered();
                    f.complete(result);
                } catch (ModbusSlaveException e) {
                    backoff.answered();
                    f.completeExceptionally(new IllegalStateException(what + ": " + ModbusReasons.slaveError(e), e));
                } catch (MasterIo.BadAnswerException e) {
                    backoff.answered();
                    f.completeExceptionally(new IllegalStateException(what + ": " + e.getMessage(), e));
                } catch (ModbusException e) {
                    f.completeExceptionally(new IllegalStateException(what + ": " + ModbusReasons.describe(e), e));
                    if (!stillUsable(e)) {
                        connectionLost(e);
                    }
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            f.completeExceptionally(new IllegalStateException("connection " + id + " is stopped"));
        }
        return f;
    }

    /** Work on the connection's thread. */
    private interface Op<T> {
        T run() throws ModbusException;
    }

    @Override
    public CompletionStage<TagValue> read(String tag) {
        TagState s = states.get(tag);
        if (s == null) {
            return TagAnswers.unknownTag(id, tag);
        }
        return submit("read " + tag, () -> {
            Block b = Block.single(s, true);
            readBlock(b);
            TagSpec t = s.spec;
            Object raw = b.area.bits() ? Boolean.valueOf(b.words[0] != 0)
                    : RegisterCodec.decode(b.words, 0, t.type(), t.order());
            return TagValue.good(id, tag, t.toEngineering(raw));
        });
    }

    /**
     * Raw registers (or bits as 0/1) for commissioning.
     */
    CompletionStage<int[]> readRaw(int unitId, Area area, int address, int count) {
        int limit = area.bits() ? 2000 : 125;
        String wrong = address < 0 || address > 65535 ? "address " + address + " is outside 0..65535"
                : count < 1 || count > limit ? "count must be 1.." + limit + " and the range within 0..65535"
                : address + count > 65536 ? "address " + address + " + count " + count + " goes past 65535" : null;
        if (wrong != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(wrong));
        }
        return submit("read " + unitId + "/" + area.label() + "/" + address, () -> {
            Block b = new Block(unitId, area, address, count, List.of(), true);
            readBlock(b);
            return b.words.clone();
        });
    }

    @Override
    public CompletionStage<WriteResult> write(String tag, Object value) {
        TagState s = states.get(tag);
        if (s == null) {
            return TagAnswers.unknownTagRefused(id, tag);
        }
        TagSpec t = s.spec;
        if (t.access() != Access.READ_WRITE) {
            return TagAnswers.readOnlyRefused(id, tag);
        }
        Object raw;
        try {
            raw = t.toRaw(definitionsByName.get(tag).dataType().coerce(value));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(WriteResult.refused(id, tag, e.getMessage()));
        }
        return submit("write " + tag, () -> {
            writeRaw(t, raw);
            return WriteResult.done(id, tag);
        }).handle((r, e) -> r != null ? r : WriteResult.failed(id, tag, ModbusReasons.rootMessage(e)));
    }

    private void writeRaw(TagSpec t, Object raw) throws ModbusException {
        requests.incrementAndGet();
        requests.addAndGet(MasterIo.write(master, t, raw) - 1);
    }
}
