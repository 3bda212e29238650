package org.fogwerk.shell.internal;

import java.io.PrintStream;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.PolicyStatus;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.support.shell.AnsweringAction;

/** Who the shell user is, and the write policy in force with where it came from. */
@Service
@Command(scope = "fogwerk", name = "policy-show",
        description = "Shows your user and roles, and the write policy in force: which source may write what")
public class PolicyShowCommand extends AnsweringAction {

    @Reference(optional = true)
    WriteGateway gateway;

    @Override
    protected Object answer() {
        ShadowJson.requireGateway(gateway);
        PrintStream out = out();
        Caller me = Caller.currentUser(Source.SHELL);
        out.println("You:    " + (me.identity().isEmpty() ? "(no user)" : me.identity()) + ", roles "
                + (me.roles().isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(me.roles()))));
        PolicyStatus p = gateway.policy();
        out.println("Policy: " + p.origin());
        if (!p.error().isEmpty()) {
            out.println("NOT TAKEN: " + p.error());
        }
        p.rules().forEach(r -> out.println("  " + r));
        return null;
    }
}
