package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS with certificates from a test CA made by openssl; mosquitto requires a client certificate. */
public class TlsTest {

    @TempDir
    public Path dir;

    private Path pki;

    @BeforeEach
    public void makeCertificates() throws Exception {
        pki = Files.createDirectories(dir.resolve("pki"));
        Files.writeString(pki.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        Files.writeString(pki.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=fogwerk-test-ca");
        for (String who : List.of("server", "client")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr", "-subj",
                    "/CN=fogwerk-test-" + who);
            openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".pem", "-days", "2", "-extfile", who + ".ext");
        }
    }

    /**
     * The test CA's certificates in {@code dir/pki}, plus the key forms AWS IoT and others hand out:
     * the client key as PKCS#1 ({@code client-private.pem.key}) and an EC key of no certificate
     * ({@code ec.key}).
     */
    public static Path awsCertificates(Path dir) throws Exception {
        TlsTest ca = new TlsTest();
        ca.dir = dir;
        ca.makeCertificates();
        Path pki = dir.resolve("pki");
        convertKeys(pki);
        return pki;
    }

    private static void convertKeys(Path pki) throws Exception {
        for (String command : List.of("rsa -in client.key -out client-private.pem.key -traditional",
                "ecparam -name prime256v1 -genkey -noout -out ec.key")) {
            Process p = new ProcessBuilder(("openssl " + command).split(" ")).directory(pki.toFile())
                    .redirectErrorStream(true).redirectOutput(pki.resolve("convert.log").toFile()).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                    Files.readString(pki.resolve("convert.log")));
        }
    }

    /** An aws-iot uplink of {@code thing} with the certificates of {@link #awsCertificates} and one of their keys. */
    public static Map<String, Object> awsDevice(Path pki, String thing, int tlsPort, String key) {
        return TestSupport.map("profile", "aws-iot", "broker.urls", "ssl://127.0.0.1:" + tlsPort, "aws.thing.name",
                thing, "tls.ca.file", pki.resolve("ca.pem").toString(),
                "tls.cert.file", pki.resolve("client.pem").toString(),
                "tls.key.file", pki.resolve(key).toString(), "topic.template", "dt/fogwerk/{thing}/{tag}");
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true)
                .redirectOutput(pki.resolve("openssl.log").toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "openssl " + String.join(" ", args) + ": " + Files.readString(pki.resolve("openssl.log")));
    }

    private TestSupport.Mosquitto broker(int tlsPort) throws Exception {
        return new TestSupport.Mosquitto(dir, "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.resolve("ca.pem"), "certfile " + pki.resolve("server.pem"),
                "keyfile " + pki.resolve("server.key"), "require_certificate true");
    }

    /** An uplink to the test's broker that trusts {@code ca}, with the client certificate {@code client} (.pem, .key). */
    private MqttUplink uplink(String name, int tlsPort, String ca, String client) throws Exception {
        return TestSupport.uplink(name, "ssl://127.0.0.1:" + tlsPort, dir.resolve(name), "tls.ca.file",
                pki.resolve(ca).toString(), "tls.cert.file", pki.resolve(client + ".pem").toString(), "tls.key.file",
                pki.resolve(client + ".key").toString());
    }

    /** Why the uplink failed, once it has. */
    private static String failure(MqttUplink uplink) {
        await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.FAILED);
        return uplink.status().lastError();
    }

    @Test
    void clientCertificateFromTheTestCaPublishes() throws Exception {
        int tlsPort = TestSupport.freePort();
        try (TestSupport.Mosquitto broker = broker(tlsPort);
                TestSupport.Subscriber sub = new TestSupport.Subscriber(broker.url(), "fogwerk/#", true, 1);
                MqttUplink uplink = uplink("tls", tlsPort, "ca.pem", "client")) {
            uplink.submit(List.of(TagValue.good("press01", "speed", 42L))).toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> sub.size() == 1);
            assertEquals(42, sub.snapshot().get(0).get("value").asLong());
            assertEquals(UplinkState.CONNECTED, uplink.status().state());
        }
    }

    @Test
    void withoutAClientCertificateTheUplinkSaysWhyAndKeepsTheValues() throws Exception {
        int tlsPort = TestSupport.freePort();
        try (TestSupport.Mosquitto broker = broker(tlsPort);
                MqttUplink uplink = TestSupport.uplink("nocert", "ssl://127.0.0.1:" + tlsPort, dir.resolve("nocert"),
                        "tls.ca.file", pki.resolve("ca.pem").toString())) {
            uplink.submit(List.of(TagValue.good("press01", "speed", 42L))).toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> uplink.status().state() == UplinkState.FAILED);
            String error = uplink.status().lastError();
            assertTrue(error.startsWith("the broker refused our client certificate: no client certificate was sent"), error);
            assertFalse(error.contains("Connection lost") || error.contains("Broken pipe"), error);
            assertEquals(1, uplink.status().outboxDepth());
        }
    }

    @Test
    void anUntrustedBrokerCertificateFails() throws Exception {
        int tlsPort = TestSupport.freePort();
        try (TestSupport.Mosquitto broker = broker(tlsPort);
                MqttUplink uplink = uplink("untrusted", tlsPort, "client.pem", "client")) {
            assertEquals("the broker's certificate is not signed by tls.ca.file (" + pki.resolve("client.pem") + ")",
                    failure(uplink));
        }
    }

    @Test
    void aClientCertificateTheBrokerDoesNotTrustIsFailedWithThatReason() throws Exception {
        // signed by a CA of its own, which the broker does not know
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "stranger.key", "-out", "stranger.pem",
                "-days", "2", "-subj", "/CN=stranger");
        int tlsPort = TestSupport.freePort();
        try (TestSupport.Mosquitto broker = broker(tlsPort);
                MqttUplink uplink = uplink("stranger", tlsPort, "ca.pem", "stranger")) {
            String error = failure(uplink);
            assertTrue(error.startsWith("the broker refused our client certificate: tls.cert.file "
                    + pki.resolve("stranger.pem")), error);
            assertFalse(error.contains("Connection lost") || error.contains("Broken pipe"), error);
        }
    }

    @Test
    void anUnknownHostIsSaidSo() throws Exception {
        try (MqttUplink uplink = TestSupport.uplink("nohost", "ssl://no-such-broker.invalid:8883",
                dir.resolve("nohost"), "tls.ca.file", pki.resolve("ca.pem").toString())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> uplink.status().lastError().startsWith("unknown host"));
            assertEquals("unknown host no-such-broker.invalid", uplink.status().lastError());
        }
    }

    /** The key forms AWS IoT and others hand out for a device certificate: read at load, checked against it. */
    @Test
    void pkcs8AndPkcs1KeysWorkAndAKeyOfAnotherCertificateIsFoundAtLoad() throws Exception {
        convertKeys(pki);
        int port = TestSupport.freePort();
        String thing = "press-tls-01";
        TlsContexts.socketFactory(TestSupport.settings("pkcs8", awsDevice(pki, thing, port, "client.key")));
        TlsContexts.socketFactory(TestSupport.settings("pkcs1", awsDevice(pki, thing, port, "client-private.pem.key")));
        InvalidConfigurationException ec = assertThrows(InvalidConfigurationException.class,
                () -> TlsContexts.socketFactory(TestSupport.settings("ec", awsDevice(pki, thing, port, "ec.key"))));
        // an EC key is read now, but it is not the key of the RSA client certificate: said before any handshake
        assertEquals("tls.key.file", ec.key());
        assertTrue(ec.getMessage().contains("ec.key (tls.key.file) does not belong to the certificate in"), ec.getMessage());
    }
}
