package org.fogwerk.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.api.simulator.SimulatorStatus;
import org.fogwerk.support.shell.AnsweringAction;
import org.fogwerk.support.table.Columns;

@Service
@Command(scope = "fogwerk", name = "sim-status",
        description = "Shows the simulated machines: whether they run, where to reach them, and their tags with -t")
public class SimStatusCommand extends AnsweringAction {

    @Option(name = "-t", aliases = "--tags", description = "Also list every simulated tag with its address")
    boolean showTags;

    @Reference(optional = true)
    List<Simulator> simulators;

    @Override
    protected Object answer() {
        List<Simulator> sims = new ArrayList<>(simulators == null ? List.of() : simulators);
        sims.sort(Comparator.comparing(s -> s.status().protocol()));

        ShellTable table = new ShellTable();
        Columns.text(table, "SIMULATOR", "STATE", "ENDPOINT");
        Columns.numbers(table, "TAGS", "INTERVAL", "UPDATES", "WRITES");
        Columns.text(table, "SINCE", "ERROR");
        Instant now = Instant.now();
        for (Simulator sim : sims) {
            SimulatorStatus s = sim.status();
            table.addRow().addContent(s.protocol(), s.running() ? "running" : "off", s.endpoint(), s.tagCount(),
                    s.updateInterval() + " ms", s.updates(), s.writes(), Formats.age(s.since(), now), s.error());
        }
        table.emptyTableText("No simulators configured: add etc/org.fogwerk.simulator.opcua.cfg or "
                + "etc/org.fogwerk.simulator.modbus.cfg");
        table.print(out());

        if (showTags) {
            ShellTable tags = new ShellTable();
            Columns.text(tags, "SIMULATOR", "TAG", "ADDRESS", "TYPE", "PATTERN", "ACCESS");
            for (Simulator sim : sims) {
                for (SimulatedTag t : sim.tags()) {
                    tags.addRow().addContent(sim.status().protocol(), t.name(), t.address(),
                            t.dataType().name().toLowerCase(Locale.ROOT), t.pattern(), t.writable() ? "rw" : "r");
                }
            }
            tags.print(out());
        }
        return null;
    }
}
