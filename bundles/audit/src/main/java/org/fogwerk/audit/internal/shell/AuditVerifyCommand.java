package org.fogwerk.audit.internal.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.audit.AuditVerification;

@Service
@Command(scope = "fogwerk", name = "audit-verify",
        description = "Reads the whole audit trail and checks every entry's hash and its link to the entry before")
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
            return null;
        }
        out.println("BROKEN at sequence " + v.firstBreak() + ": " + v.problems().get(0));
        out.println(v.problems().size() + (v.problems().size() == 1 ? " problem" : " problems") + " in "
                + v.entries() + " entries:");
        for (String p : v.problems()) {
            out.println("  " + p);
        }
        return null;
    }
}
