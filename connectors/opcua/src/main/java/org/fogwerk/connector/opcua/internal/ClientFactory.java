package org.fogwerk.connector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.net.URI;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;

/**
 * Builds the Milo client of one connection: picks the endpoint with the configured security,
 * keeps the configured host, sets the identity, certificates and timeouts. Remembers the
 * thumbprint of the last server certificate seen, for the message when it is not trusted.
 */
final class ClientFactory {

    /**
     * How long the server keeps a session the node asked for (the server may revise it): also how
     * long it keeps one whose login it refused, since the node cannot close a session that never
     * became active.
     */
    static final long SESSION_TIMEOUT_MS = 120_000;

    private final String id;
    private final OpcUaSettings settings;
    private final Pki pki;
    private volatile String serverThumbprint;

    ClientFactory(String id, OpcUaSettings settings, Pki pki) {
        this.id = id;
        this.settings = settings;
        this.pki = pki;
    }

    /** The thumbprint of the certificate the server presented last, null if none yet. */
    String serverThumbprint() {
        return serverThumbprint;
    }

    OpcUaClient create() throws Exception {
        String policyUri = settings.securityPolicy().getUri();
        boolean secure = settings.securityPolicy() != SecurityPolicy.None;
        if (secure || settings.auth().equals("x509")) {
            pki.load();
        }
        if (secure || !settings.auth().equals("anonymous")) {
            registerBouncyCastle();
        }
        List<EndpointDescription> offered = new CopyOnWriteArrayList<>();
        try {
            return OpcUaClient.create(settings.endpointUrl(), endpoints -> {
                offered.addAll(endpoints);
                return endpoints.stream()
                        .filter(e -> policyUri.equals(e.getSecurityPolicyUri())
                                && e.getSecurityMode() == settings.securityMode())
                        .findFirst()
                        .map(this::remember)
                        .map(this::sameHostAsConfigured);
            }, builder -> configure(builder, secure));
        } catch (UaException e) {
            if (!offered.isEmpty()) {
                throw new UaException(StatusCodes.Bad_SecurityPolicyRejected, noMatchingEndpoint(
                        settings.securityPolicy(), settings.securityMode(), offered));
            }
            throw e;
        }
    }

    /**
     * Aes256_Sha256_RsaPss, for the channel or for a user token the server asks to be encrypted
     * with it, takes algorithms Milo asks the JDK for by Bouncy Castle's names
     * ({@code SHA256withRSA/PSS}, {@code RSA/ECB/OAEPWithSHA256AndMGF1Padding}); the JDK's own
     * providers know them by other names only. A connection with security or a user identity
     * makes sure Bouncy Castle is registered, rather than counting on another part of the node to
     * have done it.
     */
    private static synchronized void registerBouncyCastle() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /** What to tell a user whose security settings the server does not offer: what it does offer. */
    static String noMatchingEndpoint(SecurityPolicy policy, MessageSecurityMode mode, List<EndpointDescription> offered) {
        Set<String> pairs = new LinkedHashSet<>();
        for (EndpointDescription e : offered) {
            String name = SecurityPolicy.fromUriSafe(e.getSecurityPolicyUri()).map(SecurityPolicy::name)
                    .orElse(String.valueOf(e.getSecurityPolicyUri()));
            pairs.add(name + "/" + e.getSecurityMode());
        }
        return "the server offers no endpoint with security.policy = " + policy.name() + " and security.mode = "
                + mode + "; it offers (policy/mode): " + String.join(", ", pairs);
    }

    private EndpointDescription remember(EndpointDescription e) {
        ByteString cert = e.getServerCertificate();
        if (cert != null && cert.isNotNull() && cert.length() > 0) {
            try {
                serverThumbprint = Pki.thumbprint(CertificateUtil.decodeCertificate(cert.bytesOrEmpty()));
            } catch (UaException ex) {
                serverThumbprint = null;
            }
        }
        return e;
    }

    /**
     * Servers often announce a host name the node cannot resolve, or their own port behind a port
     * forward, NAT or tunnel: the session goes where {@code endpoint.url} says, host and port.
     */
    private EndpointDescription sameHostAsConfigured(EndpointDescription e) {
        try {
            URI configured = URI.create(settings.endpointUrl());
            URI announced = URI.create(e.getEndpointUrl());
            String url = "opc.tcp://" + configured.getHost() + ":" + (configured.getPort() > 0 ? configured.getPort()
                    : announced.getPort()) + (announced.getRawPath() == null ? "" : announced.getRawPath());
            return new EndpointDescription(url, e.getServer(), e.getServerCertificate(), e.getSecurityMode(),
                    e.getSecurityPolicyUri(), e.getUserIdentityTokens(), e.getTransportProfileUri(),
                    e.getSecurityLevel());
        } catch (IllegalArgumentException ex) {
            return e;
        }
    }

    private OpcUaClientConfig configure(OpcUaClientConfigBuilder b, boolean secure) {
        b.setApplicationName(LocalizedText.english("Fogwerk " + id))
                .setApplicationUri(pki.applicationUri())
                .setProductUri("urn:fogwerk")
                .setRequestTimeout(uint(settings.requestTimeout()))
                .setSessionTimeout(uint(SESSION_TIMEOUT_MS))
                // liveness is judged by SessionKeeper, where data counts as keep-alive; Milo's own
                // keep-alive read (which ignores data) runs rarely and never drops the session
                .setKeepAliveInterval(uint(settings.keepAliveInterval() * 10))
                .setKeepAliveTimeout(uint(settings.requestTimeout()))
                .setKeepAliveFailuresAllowed(uint(Integer.MAX_VALUE))
                .setMaxPendingPublishRequests(uint(settings.publishPlan().publishRequests()))
                .setIdentityProvider(identity());
        if (secure || settings.auth().equals("x509")) {
            b.setKeyPair(pki.keyPair()).setCertificate(pki.certificate())
                    .setCertificateChain(new X509Certificate[] {pki.certificate()})
                    .setCertificateValidator(pki.validator());
        }
        return b.build();
    }

    private IdentityProvider identity() {
        switch (settings.auth()) {
            case "username":
                return new UsernameProvider(settings.username(), settings.password());
            case "x509":
                return new X509IdentityProvider(pki.certificate(), pki.keyPair().getPrivate());
            default:
                return new AnonymousProvider();
        }
    }
}
