package org.fogwerk.shell.internal.ssh;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses port, agent and X11 forwarding on the node's SSH server, which Karaf accepts for every
 * user as shipped. The node sits beside the machines: a tunnel through it (ssh -L to a PLC's
 * Modbus or OPC UA port) would let any account that may open the shell, a viewer too, write to a
 * machine with no role, no write policy and no audit entry. The shell is all SSH is for here.
 * Karaf registers its server as a service and asks the filter at every request, so this holds
 * for every session; a server Karaf starts again (its configuration changed) gets it again.
 */
@Component(immediate = true)
public final class SshForwarding {

    private static final Logger LOG = LoggerFactory.getLogger(SshForwarding.class);

    @Activate
    public SshForwarding(@Reference SshServer server) {
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        LOG.info("SSH: port, agent and X11 forwarding refused for every user");
    }
}
