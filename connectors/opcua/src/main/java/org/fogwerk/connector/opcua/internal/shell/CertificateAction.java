package org.fogwerk.connector.opcua.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.osgi.framework.BundleContext;
import org.fogwerk.support.shell.AnsweringAction;

/** What the commands on one server certificate share: the thumbprint and where it goes. */
abstract class CertificateAction extends AnsweringAction {

    @Reference
    BundleContext bundleContext;

    @Argument(index = 0, name = "thumbprint", required = true,
            description = "SHA-1 thumbprint or a unique prefix, as listed by fogwerk:opcua-certs")
    String thumbprint;

    @Override
    protected Object answer() throws Exception {
        return CertsCommand.apply(bundleContext, thumbprint, destination());
    }

    /** {@code trusted}, {@code rejected}, or {@code null} to delete the certificate. */
    abstract String destination();
}
