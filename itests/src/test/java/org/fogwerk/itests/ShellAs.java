package org.fogwerk.itests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.List;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Runs shell commands in the container as a logged-in user would: under a JAAS subject with the
 * user's roles, so the command ACLs and the write gateway see who it is.
 */
final class ShellAs {

    /** The roles of the shipped admin group. */
    static final List<String> ADMIN = List.of("admin", "operator", "manager", "viewer", "systembundles", "ssh");

    private ShellAs() {
    }

    /** Runs the command; what it printed and returned, or the exception it ended with. */
    static String run(SessionFactory sessions, String user, List<String> roles, String command) throws Exception {
        return as(user, roles, () -> execute(sessions, command, false));
    }

    /**
     * Runs a command that prints its report and then fails (so a script sees a non-zero exit
     * status): what it printed, then the message it failed with; an error when it did not fail.
     */
    static String runFailing(SessionFactory sessions, String user, List<String> roles, String command) throws Exception {
        return as(user, roles, () -> execute(sessions, command, true));
    }

    private static String as(String user, List<String> roles, PrivilegedExceptionAction<String> action)
            throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        roles.forEach(r -> subject.getPrincipals().add(new RolePrincipal(r)));
        try {
            return Subject.doAs(subject, action);
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    private static String execute(SessionFactory sessions, String command, boolean mustFail) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessions.create(System.in, out, out);
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(result);
            }
            if (mustFail) {
                out.flush();
                throw new AssertionError(command + " did not fail: " + bytes.toString(StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            if (!mustFail) {
                throw e;
            }
            out.println(e.getMessage());
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
