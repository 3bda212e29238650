package org.fogwerk.connector.opcua.internal.shell;

import java.util.concurrent.Callable;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.authority.Source;
import org.fogwerk.support.shell.AnsweringAction;
import org.osgi.framework.BundleContext;

/**
 * What the commands on one server certificate share: the thumbprint, where it goes, and the entry
 * in the node's audit trail (kind {@code trust}, the shell user) for every change and failed attempt.
 */
abstract class CertificateAction extends AnsweringAction {

    /** {@code trusted}, {@code rejected}, or {@code null} to delete the certificate. */
    private final String destination;

    @Reference
    BundleContext bundleContext;

    /** Optional: without the audit feature the change is made and not recorded. */
    @Reference(optional = true)
    AuditTrail audit;

    @Argument(index = 0, name = "thumbprint", required = true,
            description = "SHA-1 thumbprint or a unique prefix, as listed by fogwerk:opcua-certs")
    String thumbprint;

    CertificateAction(String destination) {
        this.destination = destination;
    }

    @Override
    protected String role() {
        return Roles.ADMIN;
    }

    /** A refused attempt to change the trust list is on record too. */
    @Override
    protected void refused(Caller caller, String refusal) {
        ShellAudit.record(audit, entry(caller.identity()).of("denied", refusal));
    }

    @Override
    protected Object answer() throws Exception {
        return audited(() -> CertsCommand.apply(bundleContext, thumbprint, destination));
    }

    /** Makes the change and records it, or records the failure and passes it on. */
    String audited(Callable<String> change) throws Exception {
        return ShellAudit.change(audit, entry(shellUser()), change);
    }

    /** The user's change of this certificate, as the trail records it. */
    private ShellAudit.Entry entry(String user) {
        String action = destination == null ? "removed" : destination;
        return (outcome, detail) -> new AuditEvent(AuditEvent.KIND_TRUST, "shell", user, "", thumbprint, action,
                outcome, detail);
    }

    /** The shell session runs as its user's JAAS subject. */
    static String shellUser() {
        return Caller.currentUser(Source.SHELL).identity();
    }
}
