package org.fogwerk.support.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell command whose answer is a line or a few lines of text.
 *
 * <p>Karaf prints what a command returns only in the interactive console: over SSH in batch
 * mode ({@code bin/client -b}) the returned value is dropped, so a successful write looked
 * silent and a read showed nothing. The answer is therefore printed to the session's console
 * here, in both modes, and nothing is returned.
 *
 * <p>A refusal (an {@link IllegalArgumentException}: bad argument, write above the maximum, ...)
 * is an answer too: one line on the console and one line in the log, where Karaf would log any
 * other exception at ERROR with its stack trace.
 */
public abstract class AnsweringAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(AnsweringAction.class);

    @Reference
    protected Session session;

    @Override
    public final Object execute() throws Exception {
        Object answer;
        try {
            answer = answer();
        } catch (IllegalArgumentException e) {
            String name = commandName();
            LOG.info("{} refused: {}", name, e.getMessage());
            // Karaf recognises CommandException by name: shown as its help text, logged at DEBUG only
            throw new CommandException("\u001B[31mError executing command " + name + ": " + e.getMessage() + "\u001B[39m",
                    e.getMessage(), e);
        }
        if (answer != null) {
            session.getConsole().println(answer);
        }
        return null;
    }

    /** The command's answer, printed to the console; {@code null} when it printed everything itself. */
    protected abstract Object answer() throws Exception;

    private String commandName() {
        Command command = getClass().getAnnotation(Command.class);
        return command == null ? getClass().getSimpleName() : command.scope() + ":" + command.name();
    }
}
