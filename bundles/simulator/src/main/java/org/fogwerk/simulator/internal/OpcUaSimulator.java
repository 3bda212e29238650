package org.fogwerk.simulator.internal;

import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
public final class OpcUaSimulator extends RunnerSimulator {

    static final String PID = "org.fogwerk.simulator.opcua";

    @Activate
    public OpcUaSimulator(OpcUaSimulatorConfig config) {
        super("opcua", PID);
        start(reader -> {
            SimulatorSettings settings = SimulatorSettings.read(reader, config::bind_address, config::port,
                    config::tag_count, config::update_interval, config::patterns, config::writable_count);
            String path = checkPath(reader.text("path", config::path));
            String endpoint = "opc.tcp://" + BindAddress.urlHost(settings.bindAddress()) + ":" + settings.port() + path;
            runner.start(settings, endpoint,
                    (catalog, onWrite) -> new OpcUaMachine(PID, settings.port(), path, catalog, onWrite,
                            runner::resetCounters));
        });
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
}
