package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "fogwerk", name = "opcua-cert-reject", description = "Moves a server certificate to the rejected list")
public class RejectCommand extends CertificateAction {

    public RejectCommand() {
        super("rejected");
    }
}
