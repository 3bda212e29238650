package org.fogwerk.connector.modbus.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tags polled at one interval, as the blocks read for them; touched only on the connection's thread. */
final class PollGroup {
    private static final Logger LOG = LoggerFactory.getLogger(PollGroup.class);
    /** How long a skipped cycle stays in the connection's reason. */
    static final long RECENT = TimeUnit.MINUTES.toNanos(1);

    final String name;
    final long period;
    final List<Block> blocks;
    long next;
    long overruns;
    private boolean started;
    private long lastOverrun;

    PollGroup(String name, long period, List<Block> blocks) {
        this.name = name;
        this.period = period;
        this.blocks = new ArrayList<>(blocks);
    }

    /**
     * Fixed rate without drift: the next cycle is due one period after the last was due; cycles
     * whose time passed while this one ran are counted and skipped, never run late. The first
     * cycle after start waits for the other groups' first cycles and for the connection to warm
     * up: when it ends late the rate starts from there, nothing is counted.
     */
    void advance(long now, String connection) {
        next += period;
        if (!started) {
            started = true;
            if (next - now <= 0) {
                next = now;
                return;
            }
        }
        if (next - now <= 0) {
            lastOverrun = now;
            long skipped = (now - next) / period + 1;
            long total = overruns + skipped;
            // a cycle lost now and then (a busy box, a slow answer) is counted and said once; a group that
            // keeps overrunning is a warning: its interval is too short for the device or the line
            if (overruns == 0) {
                LOG.info("Modbus connection {}: poll group {} overran its {} ms interval; {} cycle(s) skipped "
                        + "(counted in connector-status)", connection, name, TimeUnit.NANOSECONDS.toMillis(period),
                        total);
            } else if ((overruns < 100 && total >= 100) || overruns / 1000 != total / 1000) {
                LOG.warn("Modbus connection {}: poll group {} keeps overrunning its {} ms interval; {} cycle(s) "
                        + "skipped so far", connection, name, TimeUnit.NANOSECONDS.toMillis(period), total);
            }
            overruns += skipped;
            next += skipped * period;
        }
    }

    /**
     * The groups that overran their interval in the last minute, with the cycles each skipped since
     * start; empty when none did. A group that keeps up again drops out of the connection's reason.
     */
    static String skipped(List<PollGroup> groups, long now) {
        StringBuilder out = null; // asked after every poll cycle: nothing is built while no group overran
        for (PollGroup g : groups) {
            if (g.overruns > 0 && now - g.lastOverrun < RECENT) {
                out = out == null ? new StringBuilder() : out.append(", ");
                out.append("poll group ").append(g.name).append(" skipped ")
                        .append(g.overruns).append(" cycle(s) (its ").append(TimeUnit.NANOSECONDS.toMillis(g.period))
                        .append(" ms interval is too short for the device)");
            }
        }
        return out == null ? "" : out.toString();
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
