package org.fogwerk.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.fogwerk.api.uplink.Uplink;

/** Completes uplink names. */
@Service
public class UplinkNameCompleter implements Completer {

    @Reference(optional = true)
    List<Uplink> uplinks;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        if (uplinks != null) {
            for (Uplink u : uplinks) {
                delegate.getStrings().add(u.name());
            }
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
