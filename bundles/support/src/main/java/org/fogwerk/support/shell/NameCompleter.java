package org.fogwerk.support.shell;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes an argument from the names it may take, as they are at the moment the user presses tab. */
public abstract class NameCompleter implements Completer {

    @Override
    public final int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(names()).complete(session, commandLine, candidates);
    }

    /** The names known now. */
    protected abstract Collection<String> names();
}
