package org.fogwerk.connector.modbus.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The tags polled at one interval, as the blocks read for them; touched only on the connection's thread. */
final class PollGroup {
    final String name;
    final long period;
    final List<Block> blocks;
    long next;
    long overruns;

    PollGroup(String name, long period, List<Block> blocks) {
        this.name = name;
        this.period = period;
        this.blocks = new ArrayList<>(blocks);
    }

    /** One group for each poll interval the settings name that has tags, its blocks planned. */
    static List<PollGroup> plan(ModbusSettings settings, Collection<TagState> states) {
        List<PollGroup> groups = new ArrayList<>();
        for (Map.Entry<String, Long> g : settings.groups().entrySet()) {
            List<TagState> members = new ArrayList<>();
            for (TagState s : states) {
                if (s.spec.group().equals(g.getKey())) {
                    members.add(s);
                }
            }
            if (!members.isEmpty()) {
                groups.add(new PollGroup(g.getKey(), TimeUnit.MILLISECONDS.toNanos(g.getValue()),
                        Block.plan(members, settings.maxRegisters(), settings.maxCoils(), settings.maxGap())));
            }
        }
        return groups;
    }
}
