package org.fogwerk.simulator.internal;

import java.util.List;

import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A simulated machine served over OPC UA by Eclipse Milo: endpoint
 * {@code opc.tcp://<bind.address>:<port><path>}, security None, anonymous; namespace
 * {@code urn:fogwerk:simulator}, folder {@code Machine} under Objects, one variable per tag
 * with the tag name as string node id, and two methods on that folder: {@code ResetCounters()}
 * (every counter tag restarts from 0) and {@code SetSetpoint(name: String, value: Double) ->
 * previous: Double} (writes a numeric or Boolean set point, returns the value it had; unknown,
 * read-only or text tags are Bad_InvalidArgument, values the type cannot hold Bad_OutOfRange),
 * node ids {@code nsu=urn:fogwerk:simulator;s=Machine/ResetCounters} and
 * {@code ...;s=Machine/SetSetpoint}. Off unless {@code etc/org.fogwerk.simulator.opcua.cfg}
 * exists; a changed configuration restarts it. A bad value keeps it off, logs one ERROR line
 * and shows in {@link #status()}.
 */
@Component(name = OpcUaSimulator.PID, configurationPid = OpcUaSimulator.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = Simulator.class)
@Designate(ocd = OpcUaSimulatorConfig.class)
public final class OpcUaSimulator implements Simulator {

    static final String PID = "org.fogwerk.simulator.opcua";

    private final SimulationRunner runner = new SimulationRunner("opcua", PID);

    @Activate
    public OpcUaSimulator(OpcUaSimulatorConfig config) {
        SimulatorSettings.Reader reader = new SimulatorSettings.Reader(PID);
        try {
            SimulatorSettings settings = SimulatorSettings.read(reader, config::bind_address, config::port,
                    config::tag_count, config::update_interval, config::patterns, config::writable_count);
            String path = checkPath(reader.text("path", config::path));
            String endpoint = "opc.tcp://" + BindAddress.urlHost(settings.bindAddress()) + ":" + settings.port() + path;
            runner.start(settings, endpoint,
                    (catalog, onWrite) -> new OpcUaMachine(PID, settings.port(), path, catalog, onWrite,
                            runner::resetCounters));
        } catch (InvalidConfigurationException e) {
            runner.fail(e);
        } catch (RuntimeException e) {
            // the component stays active, so the shell can show why the simulator is off
            runner.fail(PID + ": cannot start: " + e);
        }
    }

    private static String checkPath(String path) throws InvalidConfigurationException {
        if (!path.startsWith("/")) {
            throw InvalidConfigurationException.invalidValue(PID, "path", path, "must start with /");
        }
        if (path.chars().anyMatch(c -> Character.isWhitespace(c) || c == '?' || c == '#')) {
            throw InvalidConfigurationException.invalidValue(PID, "path", path, "must not contain spaces, ? or #");
        }
        return path;
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
