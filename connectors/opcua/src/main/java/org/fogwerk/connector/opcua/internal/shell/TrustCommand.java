package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

@Service
@Command(scope = "fogwerk", name = "opcua-cert-trust", description = "Trusts a server certificate (takes effect on the next connection attempt, no restart)")
public class TrustCommand implements Action {

    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "thumbprint", required = true,
            description = "SHA-1 thumbprint or a unique prefix, as listed by fogwerk:opcua-certs")
    String thumbprint;

    @Override
    public Object execute() throws Exception {
        return CertsCommand.apply(bundleContext, thumbprint, "trusted");
    }
}
