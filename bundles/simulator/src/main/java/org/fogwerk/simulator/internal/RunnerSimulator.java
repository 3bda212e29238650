package org.fogwerk.simulator.internal;

import java.util.List;

import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.service.component.annotations.Deactivate;

/** A simulator whose machine a {@link SimulationRunner} runs: its status, tags and stop are the runner's. */
abstract class RunnerSimulator implements Simulator {

    /** Reads the configuration and starts the machine on the runner. */
    interface Start {
        void start(SimulatorSettings.Reader reader) throws InvalidConfigurationException;
    }

    final SimulationRunner runner;
    private final String pid;

    RunnerSimulator(String kind, String pid) {
        this.runner = new SimulationRunner(kind, pid);
        this.pid = pid;
    }

    /** Starts the machine; a bad value or a failure keeps it off, with the reason in the status. */
    final void start(Start start) {
        try {
            start.start(new SimulatorSettings.Reader(pid));
        } catch (InvalidConfigurationException e) {
            runner.fail(e);
        } catch (RuntimeException e) {
            // the component stays active, so the shell can show why the simulator is off
            runner.fail(pid + ": cannot start: " + e);
        }
    }

    @Deactivate
    public void deactivate() {
        runner.stop();
    }

    @Override
    public SimulatorStatus status() {
        return runner.status();
    }

    @Override
    public List<SimulatedTag> tags() {
        return runner.tags();
    }

    /** The last value the simulator generated for a tag (tests compare what clients read with it). */
    Object generatedValue(String tagName) {
        return runner.generatedValue(tagName);
    }
}
