package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "fogwerk", name = "opcua-cert-remove", description = "Deletes a server certificate from the trusted or rejected list")
public class RemoveCommand extends CertificateAction {

    public RemoveCommand() {
        super(null);
    }
}
