package org.fogwerk.simulator.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.ServerCertificateValidator;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog served by an Eclipse Milo server: one endpoint, security policy None, anonymous
 * clients. Milo needs a certificate only for secured endpoints, so the server has an empty
 * certificate manager and refuses every client certificate; no certificate is generated.
 */
final class OpcUaMachine extends ServingMachine {

    static final String NAMESPACE_URI = "urn:fogwerk:simulator";
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaMachine.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final String path;
    private final Runnable resetCounters;
    private InetAddress bound;
    private OpcUaServer server;
    private SimulatorNamespace namespace;

    /**
     * @param onWrite       counts one client write
     * @param resetCounters restarts the counter tags (the ResetCounters method); throws
     *                      IllegalStateException when it cannot
     */
    OpcUaMachine(String pid, int port, String path, List<CatalogTag> catalog, Runnable onWrite,
            Runnable resetCounters) {
        super(pid, port, catalog, onWrite);
        this.path = path;
        this.resetCounters = resetCounters;
    }

    /** The node id a client uses, with the namespace URI so it does not depend on the index. */
    static String nodeId(String tagName) {
        return "nsu=" + NAMESPACE_URI + ";s=" + tagName;
    }

    @Override
    public String address(CatalogTag tag) {
        return nodeId(tag.name());
    }

    @Override
    public void open(InetAddress address, List<Object> initialValues) throws Exception {
        this.bound = address;
        String hostname = address.isAnyLocalAddress() ? HostnameUtil.getHostname()
                : address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        EndpointConfiguration endpoint = EndpointConfiguration.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(address.getHostAddress())
                .setBindPort(port)
                .setHostname(hostname)
                .setPath(path)
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri("urn:fogwerk:simulator:opcua")
                .setApplicationName(LocalizedText.english("Fogwerk OPC UA simulator"))
                .setProductUri(NAMESPACE_URI)
                .setBuildInfo(new BuildInfo(NAMESPACE_URI, "Fogwerk", "Fogwerk OPC UA simulator",
                        OpcUaServer.SDK_VERSION, "", DateTime.now()))
                .setEndpoints(Set.of(endpoint))
                .setCertificateManager(new DefaultCertificateManager())
                .setCertificateValidator(new RefuseAllCertificates())
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .build();
        synchronized (this) {
            server = new OpcUaServer(config);
            namespace = new SimulatorNamespace(server, catalog, initialValues, onWrite, resetCounters);
            namespace.startup();
        }
        try {
            server.startup().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
        // Milo logs a failed bind as a warning and starts anyway: BindAddress checked the port a
        // moment ago, this catches a process that took it since
        if (server.getStackServer().getBoundEndpoints().isEmpty()) {
            throw InvalidConfigurationException.invalidValue(pid, "port", port,
                    "already in use (the OPC UA server could not bind it)");
        }
    }

    @Override
    public void publish(CatalogTag tag, Object value) {
        namespace.publish(tag, value);
    }

    @Override
    public synchronized void close() {
        if (namespace != null) {
            namespace.shutdown();
            namespace = null;
        }
        if (server != null) {
            try {
                server.shutdown().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("OPC UA simulator on port {}: shutdown did not complete: {}", port, e.toString());
            }
            server = null;
            awaitPortFree();
        }
    }

    /**
     * The server's shutdown completes before its listening channel has let go of the port; a
     * simulator started again on the same port (a changed configuration) must find it free.
     */
    private void awaitPortFree() {
        if (bound == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_SECONDS);
        while (System.nanoTime() - deadline < 0) {
            try {
                BindAddress.ensureFree(pid, bound, port);
                return;
            } catch (InvalidConfigurationException e) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        LOG.warn("OPC UA simulator on port {}: the port is still in use {} s after the server stopped", port,
                STOP_TIMEOUT_SECONDS);
    }

    /** Only None is offered: no client certificate is ever trusted. */
    private static final class RefuseAllCertificates implements ServerCertificateValidator {

        @Override
        public void validateCertificateChain(List<X509Certificate> chain) throws UaException {
            throw new UaException(StatusCodes.Bad_SecurityChecksFailed, "only security policy None is offered");
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain, String applicationUri) throws UaException {
            validateCertificateChain(chain);
        }
    }
}
