package org.fogwerk.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's shell commands a README shows: every line of a code block that starts with a
 * command scope, and every inline {@code `scope:command ...`} without placeholders. A command
 * named in prose without its arguments is checked with {@code --help} (it exists). A comment
 * after {@code #} containing "refused" marks a command the README shows failing on purpose. A
 * feature the README offers that would listen on fixed ports is resolved with
 * {@code --simulate}, not installed.
 */
final class ReadmeCommands {

    /** One command as the README shows it, and whether the README says it is refused. */
    record ReadmeCommand(String line, boolean refused) {
    }

    private static final Pattern COMMAND = Pattern.compile("(fogwerk|bundle|feature|config|log|shell):[a-z][a-z-]*(\\s.*)?");
    private static final Pattern INLINE = Pattern.compile("`((?:fogwerk|bundle|feature|config|log|shell):[^`]*)`");
    // names of the Camel component's endpoints, which the README writes like commands
    private static final Set<String> ENDPOINTS = Set.of("fogwerk:tags", "fogwerk:shadow", "fogwerk:write",
            "fogwerk:uplink", "fogwerk:edge");
    // follows the log until interrupted: never returns in batch mode
    private static final Set<String> ENDLESS = Set.of("log:tail");
    // would listen on fixed ports of the box (JMX on 1099 and 44444): resolved, not installed
    private static final Set<String> SIMULATED = Set.of("feature:install management");

    private ReadmeCommands() {
    }

    static List<ReadmeCommand> read(Path readme) throws IOException {
        Set<ReadmeCommand> commands = new LinkedHashSet<>();
        boolean inBlock = false;
        for (String raw : Files.readAllLines(readme)) {
            String line = raw.trim();
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock) {
                String comment = "";
                int hash = line.indexOf(" #");
                if (hash >= 0 && COMMAND.matcher(line).matches()) {
                    comment = line.substring(hash);
                    line = line.substring(0, hash).trim();
                }
                if (COMMAND.matcher(line).matches() && runnable(line)) {
                    commands.add(new ReadmeCommand(line, comment.contains("refused")));
                }
            } else {
                Matcher m = INLINE.matcher(line);
                while (m.find()) {
                    String command = m.group(1).trim();
                    if (COMMAND.matcher(command).matches() && runnable(command)) {
                        boolean bare = !command.contains(" ");
                        if (bare && ENDPOINTS.contains(command)) {
                            continue;
                        }
                        if (SIMULATED.contains(command)) {
                            command = command.replace("feature:install ", "feature:install --simulate --verbose ");
                        }
                        commands.add(new ReadmeCommand(bare ? command + " --help" : command, false));
                    }
                }
            }
        }
        return new ArrayList<>(commands);
    }

    private static boolean runnable(String command) {
        String name = command.split("\\s+")[0];
        return !ENDLESS.contains(name) && !command.contains("<")
                && !command.contains("[") && !command.contains("...") && !command.contains("…");
    }
}
