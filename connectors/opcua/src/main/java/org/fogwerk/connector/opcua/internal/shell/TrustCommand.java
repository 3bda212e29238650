package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "fogwerk", name = "opcua-cert-trust", description = "Trusts a server certificate (takes effect on the next connection attempt, no restart)")
public class TrustCommand extends CertificateAction {

    public TrustCommand() {
        super("trusted");
    }
}
