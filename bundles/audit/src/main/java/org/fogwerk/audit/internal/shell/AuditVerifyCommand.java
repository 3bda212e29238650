package org.fogwerk.audit.internal.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditVerification;

@Service
@Command(scope = "fogwerk", name = "audit-verify",
        description = "Reads the whole audit trail and checks every entry's hash and its link to the entry before;"
                + " fails when the trail is broken")
public class AuditVerifyCommand extends AuditAction {

    @Override
    protected Object answer() {
        AuditVerification v = trail.verify();
        PrintStream out = out();
        long unwritten = trail.unwritten();
        if (unwritten > 0) {
            out.println("NOT RECORDED: " + unwritten + " write outcome" + (unwritten == 1 ? "" : "s")
                    + " could not be written to the trail since it was opened (the log names them)");
        }
        if (v.intact()) {
            out.println("intact: " + v.entries() + " entries");
            // an anchor to keep off the node: a trail rewritten before it, hashes and all, no longer has it
            for (AuditEntry newest : trail.query(AuditQuery.newest(1))) {
                out.println("newest: sequence " + newest.sequence() + ", hash " + newest.hash());
            }
            return null;
        }
        // a problem can quote a damaged line: no control character of it reaches the terminal
        out.println("BROKEN at sequence " + v.firstBreak() + ": " + Visible.text(v.problems().get(0)));
        String problems = v.problems().size() + (v.problems().size() == 1 ? " problem" : " problems") + " in "
                + v.entries() + " entries";
        out.println(problems + ":");
        for (String p : v.problems()) {
            out.println("  " + Visible.text(p));
        }
        out.flush();
        // the command fails, so that a script or bin/client -b sees a broken trail in the exit status
        throw new IllegalArgumentException("the audit trail is BROKEN at sequence " + v.firstBreak() + " ("
                + problems + ")");
    }
}
