package org.fogwerk.simulator.internal;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both simulators share: the catalog, the generators, one named thread that opens the
 * protocol server and then runs the updates at a fixed rate, the counters and the status.
 * Opening happens on that thread, so activation never waits for a bind.
 */
final class SimulationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SimulationRunner.class);
    private static final long STOP_WAIT_SECONDS = 10;
    private static final long RESET_WAIT_SECONDS = 5;

    private final String protocol;
    private final String pid;
    private final LongAdder writes = new LongAdder();
    private volatile long updates;
    /** The update at which the counters last restarted; only touched on the simulator thread. */
    private long counterBase;
    private volatile Phase phase;
    private volatile List<SimulatedTag> tags = List.of();

    private SimulatorSettings settings;
    private List<CatalogTag> catalog = List.of();
    private List<ValueGenerator> generators = List.of();
    private AtomicReferenceArray<Object> values = new AtomicReferenceArray<>(0);
    private SimulatedMachine machine;
    private volatile ScheduledExecutorService thread;
    private boolean updateFailureLogged;

    /** Status fields that change together. */
    private record Phase(boolean running, String endpoint, int tagCount, long updateInterval, String error,
            Instant since) {
    }

    SimulationRunner(String protocol, String pid) {
        this.protocol = protocol;
        this.pid = pid;
        this.phase = new Phase(false, "", 0, 0, "", Instant.now());
    }

    /** Reports a configuration it cannot run with: one ERROR line, and the status shows it. */
    void fail(InvalidConfigurationException e) {
        fail(e.getMessage());
    }

    /** Reports why it cannot run: one ERROR line starting with the PID, and the status shows it. */
    void fail(String message) {
        LOG.error(message);
        Phase p = phase;
        phase = new Phase(false, p.endpoint(), p.tagCount(), p.updateInterval(), message, Instant.now());
    }

    /**
     * Builds the catalog and starts opening the machine on the simulator thread; returns at once.
     *
     * @param machineFactory makes the protocol side from the catalog and the callback that
     *                       counts one client write
     */
    synchronized void start(SimulatorSettings s, String endpoint,
            BiFunction<List<CatalogTag>, Runnable, SimulatedMachine> machineFactory) {
        settings = s;
        catalog = TagCatalog.build(s.tagCount(), s.patterns(), s.writableCount());
        machine = machineFactory.apply(catalog, writes::increment);
        List<SimulatedTag> described = new ArrayList<>(catalog.size());
        List<ValueGenerator> made = new ArrayList<>(catalog.size());
        values = new AtomicReferenceArray<>(catalog.size());
        for (CatalogTag tag : catalog) {
            described.add(new SimulatedTag(tag.name(), machine.address(tag), tag.type(), tag.pattern().label(),
                    tag.writable()));
            ValueGenerator generator = new ValueGenerator(tag, s.updateInterval());
            made.add(generator);
            values.set(tag.index(), generator.next(0));
        }
        tags = List.copyOf(described);
        generators = made;
        phase = new Phase(false, endpoint, s.tagCount(), s.updateInterval(), "", Instant.now());
        thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-simulator-" + protocol));
        thread.execute(this::open);
    }

    private void open() {
        Phase p = phase;
        List<Object> initial = new ArrayList<>(catalog.size());
        for (int i = 0; i < catalog.size(); i++) {
            initial.add(values.get(i));
        }
        try {
            InetAddress address = BindAddress.resolve(pid, settings.bindAddress());
            BindAddress.ensureFree(pid, address, settings.port());
            machine.open(address, initial);
        } catch (InvalidConfigurationException e) {
            machine.close();
            fail(e);
            return;
        } catch (InterruptedException e) {
            machine.close(); // stopped while opening
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            machine.close();
            if (Thread.currentThread().isInterrupted()) {
                return; // stopped while opening
            }
            LOG.debug("{}: cannot start", pid, e);
            String why = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            fail(pid + ": cannot start on " + p.endpoint() + ": " + why);
            return;
        }
        phase = new Phase(true, p.endpoint(), p.tagCount(), p.updateInterval(), "", Instant.now());
        LOG.info("{}: serving {} tags at {}, updated every {} ms", pid, catalog.size(), p.endpoint(),
                p.updateInterval());
        try {
            thread.scheduleAtFixedRate(this::update, p.updateInterval(), p.updateInterval(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stop() came first; it closes the machine
        }
    }

    private void update() {
        long update = updates + 1;
        try {
            for (CatalogTag tag : catalog) {
                if (!tag.writable()) {
                    long n = tag.pattern() == Pattern.COUNTER ? update - counterBase : update;
                    Object value = generators.get(tag.index()).next(n);
                    values.set(tag.index(), value);
                    machine.publish(tag, value);
                }
            }
        } catch (RuntimeException e) {
            // an exception would cancel the fixed-rate schedule: log once and keep going
            if (!updateFailureLogged) {
                updateFailureLogged = true;
                LOG.warn("{}: an update failed, the simulator keeps running", pid, e);
            }
        }
        updates = update;
    }

    /**
     * Restarts every counter tag from 0: the value 0 is published at once, the next update
     * shows 1. Runs on the simulator thread, which owns the generators, and waits for it.
     *
     * @throws IllegalStateException when the simulator is not running or does not answer
     */
    void resetCounters() {
        ScheduledExecutorService t = thread;
        if (t == null || !phase.running()) {
            throw new IllegalStateException("the simulator is not running");
        }
        try {
            t.submit(() -> {
                counterBase = updates;
                for (CatalogTag tag : catalog) {
                    if (tag.pattern() == Pattern.COUNTER) {
                        Object value = generators.get(tag.index()).next(0);
                        values.set(tag.index(), value);
                        machine.publish(tag, value);
                    }
                }
            }).get(RESET_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the simulator is stopping", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            throw new IllegalStateException("the counters could not be reset: " + e, e);
        }
        LOG.info("{}: counters reset by a client", pid);
    }

    /** Stops the updates, waits for the simulator thread to end and closes the machine. */
    synchronized void stop() {
        ExecutorService t = thread;
        if (t != null) {
            t.shutdownNow();
            try {
                if (!t.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("{}: the simulator thread did not end within {} s", pid, STOP_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (machine != null) {
            machine.close();
        }
        Phase p = phase;
        if (p.running()) {
            LOG.info("{}: stopped", pid);
            phase = new Phase(false, p.endpoint(), p.tagCount(), p.updateInterval(), "", Instant.now());
        }
    }

    SimulatorStatus status() {
        Phase p = phase;
        return new SimulatorStatus(protocol, p.running(), p.endpoint(), p.tagCount(), p.updateInterval(), updates,
                writes.sum(), p.error(), p.since());
    }

    List<SimulatedTag> tags() {
        return tags;
    }

    /** The last generated value of a read-only tag (the initial one for a set point), or null. */
    Object generatedValue(String tagName) {
        for (CatalogTag tag : catalog) {
            if (tag.name().equals(tagName)) {
                return values.get(tag.index());
            }
        }
        return null;
    }
}
