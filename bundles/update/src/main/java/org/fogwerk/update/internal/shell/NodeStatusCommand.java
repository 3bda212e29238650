package org.fogwerk.update.internal.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Service
@Command(scope = "fogwerk", name = "node-status",
        description = "Shows the node's software: Fogwerk and feature versions, JVM, uptime, health, the update "
                + "under way, pending orders and the last result of each feature")
public class NodeStatusCommand extends NodeAction {

    @Override
    protected Object answer() {
        PrintStream out = out();
        Map<String, Object> status = updates.status();
        out.println("Shadow    " + updates.shadowName());
        out.println("Fogwerk   " + status.get("fogwerk"));
        out.println("JVM       " + status.get("jvm"));
        out.println("Uptime    " + uptime(((Number) status.get("uptime")).longValue()));
        out.println("Health    " + status.get("health"));
        Optional<String> running = updates.running();
        out.println("Running   " + running.orElse("no update"));
        List<String> pending = updates.pending();
        out.println("Pending   " + (pending.isEmpty() ? "none" : String.join(", ", pending)));
        Map<String, String> results = updates.lastResults();
        ShellTable table = new ShellTable();
        table.column("FEATURE");
        table.column("VERSION");
        table.column("LAST UPDATE");
        updates.installed().forEach((f, v) -> table.addRow().addContent(f, v, results.getOrDefault(f, "")));
        results.forEach((f, r) -> {
            if (!updates.installed().containsKey(f)) {
                table.addRow().addContent(f, "(not installed)", r);
            }
        });
        table.print(out);
        return null;
    }

    private static String uptime(long seconds) {
        long d = seconds / 86400;
        long h = seconds % 86400 / 3600;
        long m = seconds % 3600 / 60;
        return d > 0 ? d + " d " + h + " h" : h > 0 ? h + " h " + m + " min" : m + " min " + seconds % 60 + " s";
    }
}
