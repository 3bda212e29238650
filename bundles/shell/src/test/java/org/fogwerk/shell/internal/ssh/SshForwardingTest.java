package org.fogwerk.shell.internal.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An SSH server set up as Karaf sets it up (forwarding accepted) refuses tunnels once the node's guard is there. */
class SshForwardingTest {

    @TempDir
    Path dir;

    @Test
    void aTunnelThroughTheNodeToAMachinesPortIsRefused() throws Exception {
        try (ServerSocket machine = new ServerSocket(0)) {
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("host.key")));
            server.setPasswordAuthenticator((user, password, session) -> "vera".equals(user));
            server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
            server.start();
            new SshForwarding(server);
            SshClient client = SshClient.setUpDefaultClient();
            client.start();
            try (ClientSession session = client.connect("vera", "127.0.0.1", server.getPort())
                    .verify(Duration.ofSeconds(10)).getSession()) {
                session.addPasswordIdentity("secret");
                session.auth().verify(Duration.ofSeconds(10));
                // ssh -R: the node would listen for the user
                IOException remote = assertThrows(IOException.class, () -> session.startRemotePortForwarding(
                        new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", machine.getLocalPort())));
                assertTrue(remote.getMessage() != null);
                // ssh -L: the node would open the machine's port for the user
                var channel = session.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0),
                        new SshdSocketAddress("127.0.0.1", machine.getLocalPort()));
                assertThrows(Exception.class, () -> channel.open().verify(Duration.ofSeconds(10)));
                machine.setSoTimeout(500);
                assertThrows(java.net.SocketTimeoutException.class, machine::accept, "nothing reached the machine");
            } finally {
                client.stop();
                server.stop(true);
            }
            assertEquals(org.apache.sshd.server.forward.RejectAllForwardingFilter.INSTANCE, server.getForwardingFilter());
        }
    }
}
