package org.fogwerk.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.action.Action;

/**
 * What a command prints, for tests. Commands print to their standard output, which the shell
 * points at the console, a pipe or a file; here it is caught while the command runs.
 */
public final class ShellConsole {

    /** A command run that may throw. */
    public interface Run {
        Object run() throws Exception;
    }

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** Runs a command as the shell runs it and returns what it printed. */
    public String run(Action command) throws Exception {
        return print(command::execute);
    }

    /** Runs a command and returns what it printed. */
    public String print(Run command) throws Exception {
        printed.reset();
        PrintStream standard = System.out;
        System.setOut(out);
        try {
            command.run();
        } finally {
            System.setOut(standard);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
