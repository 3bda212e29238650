package org.fogwerk.connector.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.connector.opcua.internal.TestSupport.config;
import static org.fogwerk.testing.Configs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.Security;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.Quality;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.connector.opcua.internal.TestSupport.Connections;
import org.fogwerk.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SignAndEncrypt against a secured Milo server: rejected, trusted from the shell's store, connected. */
class TrustFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private SecuredTestServer server;
    private int port;
    private final Connections connections = new Connections();

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.next();
        server = new SecuredTestServer(port);
    }

    @AfterEach
    void stop() throws Exception {
        connections.stop();
        server.close();
    }

    private OpcUaConnection connector(Path pki, Object... extra) {
        Map<String, Object> m = map("endpoint.url", "opc.tcp://127.0.0.1:" + port + "/secured",
                "security.policy", "Basic256Sha256", "security.mode", "SignAndEncrypt",
                "tags", "state=i=2259", "pki.dir", pki.toString(), "reconnect.min", "200", "reconnect.max", "1000",
                "publishing.interval", "100", "felix.fileinstall.filename", "org.fogwerk.connector.opcua-secured.cfg");
        Map<String, Object> more = map(extra);
        m.putAll(more);
        return connections.make(m);
    }

    @Test
    void unknownServerCertificateIsRejectedThenTrustedWithoutRestart() throws Exception {
        Path pki = dir.resolve("pki");
        OpcUaConnection c = connector(pki);
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.FAILED, c.status().state()));
        String thumbprint = Pki.thumbprint(server.certificate);
        assertTrue(c.status().reason().contains("fogwerk:opcua-cert-trust " + thumbprint), c.status().reason());
        assertTrue(Files.exists(pki.resolve("client.pfx")), "client certificate generated on first start");

        List<Pki.CertEntry> listed = Pki.list(pki);
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("rejected", listed.get(0).list());
        assertEquals(thumbprint, listed.get(0).thumbprint());

        assertThrows(IllegalArgumentException.class, () -> Pki.move(pki, "FFFF", "trusted"));
        String done = Pki.move(pki, thumbprint.substring(0, 10), "trusted");
        assertTrue(done.startsWith("trusted " + thumbprint), done);
        assertEquals("trusted", Pki.list(pki).get(0).list());
        c.retrySoon();

        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.CONNECTED, c.status().state(),
                c.status().reason()));
        await().atMost(WAIT).until(() -> connections.sink.latest.containsKey("state")
                && connections.sink.latest.get("state").quality() == Quality.GOOD);

        // removing it again: the list is empty
        Pki.move(pki, thumbprint, null);
        assertTrue(Pki.list(pki).isEmpty());
    }

    @Test
    void aServerThatRefusesTheNodesCertificateIsToldApartFromOneTheNodeDoesNotTrust() throws Exception {
        Path pki = dir.resolve("pki");
        server.refuseClients = true;
        OpcUaConnection c = connector(pki);
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.FAILED, c.status().state()));
        assertTrue(c.status().reason().contains("or the server refused the node's certificate"), c.status().reason());
        // the server's administrator handed its certificate over, and it is trusted here
        Files.createDirectories(pki.resolve("trusted/certs"));
        Files.write(pki.resolve("trusted/certs/server.der"), server.certificate.getEncoded());
        c.retrySoon();
        // the node trusts the server now: what is left is the server's refusal of the node
        await().atMost(WAIT).untilAsserted(() -> assertTrue(c.status().reason().startsWith(
                "the server refused the node's certificate"), c.status().reason()));
        assertTrue(c.status().reason().contains("give the server " + pki.resolve("client.der")), c.status().reason());
        // the file to give it: the node's certificate, without its key
        X509Certificate own = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pki.resolve("client.der")));
        assertTrue(own.getSubjectX500Principal().getName().contains("Fogwerk OPC UA client"));
        server.refuseClients = false;
        c.retrySoon();
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.CONNECTED, c.status().state(),
                c.status().reason()));
    }

    @Test
    void aLoginTheServerDoesNotOfferIsAConfigurationProblemNamedAsSuch() {
        // the test server takes anonymous sessions only
        OpcUaConnection c = connector(dir.resolve("pki"), "security.auto.accept", "true", "auth", "username",
                "username", "fogwerk", ".password", "secret");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.FAILED, c.status().state(),
                c.status().reason()));
        assertTrue(c.status().reason().startsWith("the server takes no login of auth = username on this endpoint"),
                c.status().reason());
    }

    @Test
    void aRefusedLoginIsFailedWithWhatToCheckAndIsNotTriedAgainAtOnce() throws Exception {
        server.close();
        server = new SecuredTestServer(port, "right");
        OpcUaConnection c = connector(dir.resolve("pki"), "security.auto.accept", "true", "auth", "username",
                "username", "fogwerk", ".password", "wrong");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.FAILED, c.status().state(),
                c.status().reason()));
        assertTrue(c.status().reason().startsWith(
                "the server refused the login of user fogwerk (Bad_UserAccessDenied: User does not have permission"),
                c.status().reason());
        assertTrue(c.status().reason().contains("check username and .password; tried again every 120 s"),
                c.status().reason());
        // reconnect.max is 1 s here: a network fault would be tried again three times or more by now,
        // each refused login would leave a session on the server
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> server.logins.get() == 1);
        c.stop();

        // the file corrected: the new connection logs in
        OpcUaConnection fixed = connector(dir.resolve("pki"), "security.auto.accept", "true", "auth", "username",
                "username", "fogwerk", ".password", "right");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.CONNECTED, fixed.status().state(),
                fixed.status().reason()));
    }

    @Test
    void autoAcceptConnectsAtOnce() {
        OpcUaConnection c = connector(dir.resolve("pki2"), "security.auto.accept", "true");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.CONNECTED, c.status().state(),
                c.status().reason()));
    }

    @Test
    void aes256RsaPssConnectsWhereNothingElseRegisteredBouncyCastle() {
        // as in a node where no other part (such as the SSH shell) registered the provider
        Security.removeProvider("BC");
        OpcUaConnection c = connector(dir.resolve("pki4"), "security.policy", "Aes256_Sha256_RsaPss",
                "security.auto.accept", "true");
        await().atMost(WAIT).untilAsserted(() -> assertEquals(ConnectorState.CONNECTED, c.status().state(),
                c.status().reason()));
        await().atMost(WAIT).until(() -> connections.sink.latest.containsKey("state")
                && connections.sink.latest.get("state").quality() == Quality.GOOD);
    }

    @Test
    void aSecurityPolicyTheServerDoesNotOfferNamesWhatItOffers() {
        OpcUaConnection c = connector(dir.resolve("pki3"), "security.policy", "Aes128_Sha256_RsaOaep");
        await().atMost(WAIT).untilAsserted(() -> assertTrue(c.status().reason().contains(
                "the server offers no endpoint with security.policy = Aes128_Sha256_RsaOaep and security.mode = "
                        + "SignAndEncrypt; it offers (policy/mode): "), c.status().reason()));
        String reason = c.status().reason();
        assertTrue(reason.contains("Basic256Sha256/SignAndEncrypt") && reason.contains("None/None"), reason);
        assertTrue(c.status().state() != ConnectorState.CONNECTED);
    }
}
