package org.fogwerk.connector.opcua.internal;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.ServerCertificateValidator;

/**
 * A bare Milo server with Basic256Sha256 and Aes256_Sha256_RsaPss SignAndEncrypt endpoints (and
 * None for discovery),
 * because the simulator serves security None only. It accepts any client certificate: the
 * test is about the client's trust decisions. With a password it also takes the login
 * {@code fogwerk} with that password, and counts the logins it is offered.
 */
final class SecuredTestServer implements AutoCloseable {

    static final String APPLICATION_URI = "urn:fogwerk:test:secured-server";

    private final OpcUaServer server;
    final X509Certificate certificate;
    /** Refuse every client certificate, as a server does to a client it was not given. */
    volatile boolean refuseClients;
    /** Logins (user name and password) the server was offered, right or wrong. */
    final AtomicInteger logins = new AtomicInteger();

    SecuredTestServer(int port) throws Exception {
        this(port, null);
    }

    /** {@code password} null: anonymous sessions only. */
    SecuredTestServer(int port, String password) throws Exception {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("Secured test server")
                .setApplicationUri(APPLICATION_URI)
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .build();
        EndpointConfiguration.Builder base = EndpointConfiguration.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress("127.0.0.1")
                .setBindPort(port)
                .setHostname("127.0.0.1")
                .setPath("/secured")
                .setCertificate(certificate)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        if (password != null) {
            base.addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        }
        EndpointConfiguration secured = base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build();
        EndpointConfiguration pss = base.copy().setSecurityPolicy(SecurityPolicy.Aes256_Sha256_RsaPss)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build();
        EndpointConfiguration plain = base.copy().setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None).build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri(APPLICATION_URI)
                .setApplicationName(LocalizedText.english("Secured test server"))
                .setProductUri("urn:fogwerk:test")
                .setEndpoints(Set.of(secured, pss, plain))
                .setCertificateManager(new DefaultCertificateManager(keyPair, certificate))
                .setCertificateValidator(new AcceptAll(this))
                .setIdentityValidator(password == null ? AnonymousIdentityValidator.INSTANCE
                        : new UsernameIdentityValidator(true, login -> {
                            logins.incrementAndGet();
                            return "fogwerk".equals(login.getUsername()) && password.equals(login.getPassword());
                        }))
                .build();
        server = new OpcUaServer(config);
        server.startup().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        server.shutdown().get(10, TimeUnit.SECONDS);
    }

    private static final class AcceptAll implements ServerCertificateValidator {
        private final SecuredTestServer server;

        AcceptAll(SecuredTestServer server) {
            this.server = server;
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain) throws UaException {
            if (server.refuseClients) {
                throw new UaException(StatusCodes.Bad_SecurityChecksFailed, "certificate invalid");
            }
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain, String applicationUri) throws UaException {
            validateCertificateChain(chain);
        }
    }
}
