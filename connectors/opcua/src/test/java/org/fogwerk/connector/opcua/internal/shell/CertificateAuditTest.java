package org.fogwerk.connector.opcua.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.shell.support.CommandException;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.testing.MemoryAuditTrail;
import org.fogwerk.testing.ShellConsole;
import org.fogwerk.testing.Users;
import org.junit.jupiter.api.Test;

/** Trusting, rejecting and removing a server certificate is on record with the shell user. */
class CertificateAuditTest {

    private static <T> T as(String user, PrivilegedExceptionAction<T> action) throws Exception {
        Subject s = new Subject(false, Set.of(new UserPrincipal(user)), Set.of(), Set.of());
        try {
            return Subject.doAs(s, action);
        } catch (java.security.PrivilegedActionException e) {
            throw e.getException();
        }
    }

    /** {@code command} on the certificate with {@code thumbprint}, recording in {@code trail} (none if {@code null}). */
    private static <C extends CertificateAction> C command(C command, MemoryAuditTrail trail, String thumbprint) {
        command.audit = trail;
        command.thumbprint = thumbprint;
        return command;
    }

    @Test
    void eachChangeIsRecordedWithTheShellUser() throws Exception {
        MemoryAuditTrail trail = new MemoryAuditTrail();
        TrustCommand trust = command(new TrustCommand(), trail, "AB12CD");
        assertEquals("trusted AB12CD34 (CN=press01)",
                as("operator1", () -> trust.audited(() -> "trusted AB12CD34 (CN=press01)")));
        RemoveCommand remove = command(new RemoveCommand(), trail, "AB12CD");
        remove.audited(() -> "removed AB12CD34 (CN=press01)");

        assertEquals(List.of(
                new AuditEvent("trust", "shell", "operator1", "", "AB12CD", "trusted", "done",
                        "trusted AB12CD34 (CN=press01)"),
                new AuditEvent("trust", "shell", "", "", "AB12CD", "removed", "done",
                        "removed AB12CD34 (CN=press01)")), trail.events());
    }

    @Test
    void aFailedAttemptIsRecordedAndStillFails() {
        MemoryAuditTrail trail = new MemoryAuditTrail();
        RejectCommand reject = command(new RejectCommand(), trail, "FFFF");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> as("admin",
                () -> reject.audited(() -> {
                    throw new IllegalArgumentException("no certificate with thumbprint FFFF in /data/pki");
                })));
        assertEquals("no certificate with thumbprint FFFF in /data/pki", e.getMessage());
        assertEquals(List.of(new AuditEvent("trust", "shell", "admin", "", "FFFF", "rejected", "failed",
                "no certificate with thumbprint FFFF in /data/pki")), trail.events());
    }

    @Test
    void theChangeStandsAndSaysSoWhenTheTrailCannotRecordIt() throws Exception {
        MemoryAuditTrail trail = new MemoryAuditTrail();
        trail.failWith(new IllegalStateException("the audit trail is closed"));
        TrustCommand trust = command(new TrustCommand(), trail, "AB12");
        assertEquals("trusted AB12 (CN=x)\nnot recorded in the audit trail: the audit trail is closed",
                trust.audited(() -> "trusted AB12 (CN=x)"));

        TrustCommand withoutTrail = command(new TrustCommand(), null, "AB12");
        assertEquals("trusted AB12 (CN=x)", withoutTrail.audited(() -> "trusted AB12 (CN=x)"));
    }

    @Test
    void anOperatorIsToldTrustNeedsAnAdministratorAndTheAttemptIsOnRecord() {
        MemoryAuditTrail trail = new MemoryAuditTrail();
        TrustCommand trust = command(new TrustCommand(), trail, "AB12CD");
        CommandException e = assertThrows(CommandException.class,
                () -> Users.operator(() -> new ShellConsole().run(trust)));
        assertEquals("this needs the role admin; user 'olga' has the roles operator, viewer", e.getMessage());
        assertEquals(List.of(new AuditEvent("trust", "shell", "olga", "", "AB12CD", "trusted", "denied",
                "this needs the role admin; user 'olga' has the roles operator, viewer")), trail.events());
    }
}
