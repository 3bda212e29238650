package org.fogwerk.support.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;

/**
 * A shell command whose answer is a line or a few lines of text.
 *
 * <p>Karaf prints what a command returns only in the interactive console: over SSH in batch
 * mode ({@code bin/client -b}) the returned value is dropped, so a successful write looked
 * silent and a read showed nothing. The answer is therefore printed to the session's console
 * here, in both modes, and nothing is returned.
 */
public abstract class AnsweringAction implements Action {

    @Reference
    protected Session session;

    @Override
    public final Object execute() throws Exception {
        Object answer = answer();
        if (answer != null) {
            session.getConsole().println(answer);
        }
        return null;
    }

    /** The command's answer, printed to the console; {@code null} when it printed everything itself. */
    protected abstract Object answer() throws Exception;
}
