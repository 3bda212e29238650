package org.fogwerk.connector.opcua.internal.shell;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.Source;
import org.fogwerk.connector.opcua.internal.TagExporter;

@Service
@Command(scope = "fogwerk", name = "opcua-export", description = "Writes the variables under an OPC UA node as a tags CSV for tags.file")
public class ExportCommand extends ConnectionAction {

    @Argument(index = 1, name = "nodeId", required = true, description = "node to export from, e.g. nsu=urn:fogwerk:simulator;s=Machine")
    String nodeId;

    @Argument(index = 2, name = "file", required = true, description = "CSV file to write, e.g. etc/tags/press01.csv")
    String file;

    @Option(name = "--replace", description = "replace the file when it exists (it may be a connection's tag list in use)")
    boolean replace;

    /** Optional: without the audit feature the export is made and not recorded. */
    @Reference(optional = true)
    AuditTrail audit;

    /** It writes files in the node's folder, where configuration lives (a tag list sets limits and access). */
    @Override
    protected String role() {
        return Roles.ADMIN;
    }

    @Override
    protected void refused(Caller caller, String refusal) {
        ShellAudit.record(audit, event(caller.identity(), "denied", refusal));
    }

    @Override
    protected Object answer() throws Exception {
        String user = Caller.currentUser(Source.SHELL).identity();
        return ShellAudit.change(audit, (outcome, detail) -> event(user, outcome, detail), () -> {
            String base = System.getProperty("karaf.base");
            Path target = target(Paths.get(base == null ? "." : base), file);
            checkNew(target, replace);
            List<String> lines = Shell.await(TagExporter.export(running(), nodeId));
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return (lines.size() - 1) + " variables written to " + target;
        });
    }

    /** A tag list written from a connection's address space: a configuration change. */
    private AuditEvent event(String user, String outcome, String detail) {
        return new AuditEvent(AuditEvent.KIND_CONFIG, "shell", user, "", file, "export of " + nodeId + " from "
                + connection, outcome, detail == null ? "" : detail);
    }

    /**
     * An existing file is replaced only when asked: it may be the tag list a connection reads,
     * which the export would change under it.
     */
    static void checkNew(Path target, boolean replace) {
        if (Files.exists(target) && !replace) {
            throw new IllegalArgumentException(target + " exists (it may be a connection's tag list): choose another"
                    + " file, or add --replace to replace it");
        }
    }

    /**
     * Where the export goes: a {@code .csv} file inside the node's folder, relative paths taken
     * from there. Anything else is refused, so the shell cannot be used to overwrite files
     * elsewhere on the box (or the node's own configuration).
     */
    static Path target(Path nodeHome, String file) throws java.io.IOException {
        Path home = nodeHome.toAbsolutePath().normalize();
        if (Files.exists(home)) {
            home = home.toRealPath();
        }
        Path target = home.resolve(file).normalize();
        if (!target.startsWith(home) || target.equals(home)) {
            throw new IllegalArgumentException(file + ": not inside the node's folder " + home
                    + " (write tag lists under etc/tags/)");
        }
        if (!target.getFileName().toString().endsWith(".csv")) {
            throw new IllegalArgumentException(file + ": a tag list is a .csv file");
        }
        // a symbolic link inside the node's folder must not lead out of it
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !existing.toRealPath().startsWith(home)) {
            throw new IllegalArgumentException(file + ": leads out of the node's folder " + home);
        }
        return target;
    }
}
