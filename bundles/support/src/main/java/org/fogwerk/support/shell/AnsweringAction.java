package org.fogwerk.support.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.CommandException;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell command whose answer is a line or a few lines of text.
 *
 * <p>Karaf prints what a command returns only in the interactive console: over SSH in batch
 * mode ({@code bin/client -b}) the returned value is dropped, so a successful write looked
 * silent and a read showed nothing. The answer is therefore printed here, in both modes, and
 * nothing is returned. It is printed to the command's standard output ({@link #out()}), which
 * the shell points at the console, at a pipe ({@code fogwerk:connector-list | grep press}) or at
 * a file: the session's console would bypass the pipe and print everything on the terminal.
 *
 * <p>A refusal (an {@link IllegalArgumentException}: bad argument, write above the maximum, ...)
 * is an answer too: one line on the console and one line in the log, where Karaf would log any
 * other exception at ERROR with its stack trace.
 *
 * <p>A command that needs more than the viewer role says which ({@link #role()}). The command ACL
 * lists it for every role, and the refusal is checked here: a user without the role gets one line
 * naming it (Karaf, refusing through the ACL, would only answer "Command not found").
 */
public abstract class AnsweringAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(AnsweringAction.class);

    @Override
    public final Object execute() throws Exception {
        String role = role();
        if (role != null) {
            Caller caller = Caller.currentUser(Source.SHELL);
            String refusal = Roles.refusal(caller, role);
            if (refusal != null) {
                refused(caller, refusal);
                throw refusal(new IllegalArgumentException(refusal));
            }
        }
        Object answer;
        try {
            answer = answer();
        } catch (IllegalArgumentException e) {
            throw refusal(e);
        }
        if (answer != null) {
            out().println(answer);
        }
        return null;
    }

    /**
     * Where a command prints: the standard output of the command in the shell (Karaf sets
     * {@code System.out} per command), so that its lines reach a pipe or a redirection.
     */
    public static PrintStream out() {
        return System.out;
    }

    /** The command's answer, printed to {@link #out()}; {@code null} when it printed everything itself. */
    protected abstract Object answer() throws Exception;

    /** The role the command needs ({@link Roles}), checked before it runs; {@code null}: whoever the ACL lets in. */
    protected String role() {
        return null;
    }

    /** A user without {@link #role()} tried the command: a command that changes something records the attempt here. */
    protected void refused(Caller caller, String refusal) {
        // reading commands record nothing
    }

    private CommandException refusal(IllegalArgumentException e) {
        String name = commandName();
        LOG.info("{} refused: {}", name, e.getMessage());
        // Karaf recognises CommandException by name: shown as its help text, logged at DEBUG only
        return new CommandException("\u001B[31mError executing command " + name + ": " + e.getMessage() + "\u001B[39m",
                e.getMessage(), e);
    }

    private String commandName() {
        Command command = getClass().getAnnotation(Command.class);
        return command == null ? getClass().getSimpleName() : command.scope() + ":" + command.name();
    }
}
