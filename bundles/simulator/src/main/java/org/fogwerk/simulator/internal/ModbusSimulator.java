package org.fogwerk.simulator.internal;

import org.fogwerk.api.simulator.Simulator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A simulated machine served as a Modbus TCP slave by j2mod, at
 * {@code <bind.address>:<port>}, unit id {@code unit.id}.
 *
 * <p>Register map (the README, "Simulated machines", has it in full): read-only booleans are discrete inputs, read-only
 * numbers and strings input registers, writable booleans coils, writable numbers and strings
 * holding registers. Addresses are 0-based and consecutive per area in tag order. INT16 and
 * UINT16 take 1 register, INT32 and FLOAT 2, DOUBLE 4, STRING 8 (16 ASCII characters, zero
 * padded); bytes and words are big-endian (ABCD). Coils and holding registers keep what
 * clients write, and each write counts in {@link #status()}.
 *
 * <p>Off unless {@code etc/org.fogwerk.simulator.modbus.cfg} exists; a changed configuration
 * restarts it. A bad value keeps it off, logs one ERROR line and shows in the status.
 */
@Component(name = ModbusSimulator.PID, configurationPid = ModbusSimulator.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = Simulator.class)
@Designate(ocd = ModbusSimulatorConfig.class)
public final class ModbusSimulator extends RunnerSimulator {

    static final String PID = "org.fogwerk.simulator.modbus";

    @Activate
    public ModbusSimulator(ModbusSimulatorConfig config) {
        super("modbus", PID);
        start(reader -> {
            SimulatorSettings settings = SimulatorSettings.read(reader, config::bind_address, config::port,
                    config::tag_count, config::update_interval, config::patterns, config::writable_count);
            int unitId = reader.intBetween("unit.id", config::unit_id, 1, 247);
            String endpoint = "modbus-tcp://" + BindAddress.urlHost(settings.bindAddress()) + ":" + settings.port() + " unit " + unitId;
            runner.start(settings, endpoint,
                    (catalog, onWrite) -> new ModbusMachine(PID, settings.port(), unitId, catalog, onWrite));
        });
    }
}
