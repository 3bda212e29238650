package org.fogwerk.uplink.mqtt.internal;

import static org.awaitility.Awaitility.await;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.ShadowStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profile aws-iot with mutual TLS as AWS IoT Core asks for it: the device certificate of the
 * thing, its key in the PKCS#1 form AWS hands out, the root CA; client id = thing name.
 */
class AwsTlsTest {

    private static final String THING = "press-tls-01";

    @TempDir
    Path dir;

    private Path pki;

    /** The test CA of {@link TlsTest}, plus the key forms AWS IoT and others hand out. */
    @BeforeEach
    void makeCertificates() throws Exception {
        TlsTest ca = new TlsTest();
        ca.dir = dir;
        ca.makeCertificates();
        pki = dir.resolve("pki");
        for (String command : List.of("rsa -in client.key -out client-private.pem.key -traditional",
                "ecparam -name prime256v1 -genkey -noout -out ec.key")) {
            Process p = new ProcessBuilder(("openssl " + command).split(" ")).directory(pki.toFile())
                    .redirectErrorStream(true).redirectOutput(pki.resolve("convert.log").toFile()).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                    Files.readString(pki.resolve("convert.log")));
        }
    }

    private Map<String, Object> device(int tlsPort, String key) {
        return map("profile", "aws-iot", "broker.urls", "ssl://127.0.0.1:" + tlsPort, "aws.thing.name", THING,
                "tls.ca.file", pki.resolve("ca.pem").toString(),
                "tls.cert.file", pki.resolve("client.pem").toString(),
                "tls.key.file", pki.resolve(key).toString(), "topic.template", "dt/fogwerk/{thing}/{tag}");
    }

    @Test
    void theThingsCertificateAndRsaKeyConnectAsTheThingAndSyncItsShadow() throws Exception {
        int tlsPort = TestSupport.freePort();
        ShadowStoreImpl deviceStore = ShadowStores.open(dir.resolve("device"));
        ShadowStoreImpl cloudStore = ShadowStores.open(dir.resolve("cloud"));
        try (TestSupport.Mosquitto broker = new TestSupport.Mosquitto(dir, "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.resolve("ca.pem"), "certfile " + pki.resolve("server.pem"),
                "keyfile " + pki.resolve("server.key"), "require_certificate true");
                TestSupport.Subscriber telemetry = new TestSupport.Subscriber(broker.url(), "dt/fogwerk/#", true, 1);
                MqttUplink cloud = AwsTestSupport.uplink("cloud", map("broker.urls", broker.url(),
                        "shadow.topics", "aws"), dir, cloudStore);
                MqttUplink device = AwsTestSupport.uplink("device", device(tlsPort, "client-private.pem.key"), dir,
                        deviceStore)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> device.status().state() == UplinkState.CONNECTED);
            String log = Files.readString(dir.resolve("mosquitto-" + broker.port + ".log"));
            assertTrue(log.contains(" as " + THING + " "), "the client id is the thing name: " + log);

            device.submit(List.of(TagValue.good(THING, "speed", 42L))).toCompletableFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> telemetry.size() == 1);
            assertEquals("dt/fogwerk/" + THING + "/speed", telemetry.topicSnapshot().get(0));

            deviceStore.update(THING, "", ShadowUpdate.reported(Map.of("speed", 42)));
            await().atMost(Duration.ofSeconds(10)).until(() -> cloudStore.shadows(THING).contains("")
                    && Long.valueOf(42).equals(cloudStore.get(THING, "").reported().get("speed")));
        } finally {
            deviceStore.close();
            cloudStore.close();
        }
    }

    @Test
    void pkcs8AndPkcs1KeysWorkAndAKeyOfAnotherCertificateIsFoundAtLoad() throws Exception {
        int port = TestSupport.freePort();
        TlsContexts.socketFactory(TestSupport.settings("pkcs8", device(port, "client.key")));
        TlsContexts.socketFactory(TestSupport.settings("pkcs1", device(port, "client-private.pem.key")));
        ConfigException ec = assertThrows(ConfigException.class,
                () -> TlsContexts.socketFactory(TestSupport.settings("ec", device(port, "ec.key"))));
        // an EC key is read now, but it is not the key of the RSA client certificate: said before any handshake
        assertEquals("tls.key.file", ec.key());
        assertTrue(ec.getMessage().contains("ec.key (tls.key.file) does not belong to the certificate in"), ec.getMessage());
    }

    @Test
    void awsIotNeedsTheThingNameAndNeverServesLocalShadowTopics() throws Exception {
        ShadowStoreImpl store = ShadowStores.open(dir.resolve("store"));
        try {
            ConfigException noThing = assertThrows(ConfigException.class, () -> AwsTestSupport.uplink("a",
                    map("profile", "aws-iot"), dir, store));
            assertEquals("aws.thing.name", noThing.key());
            ConfigException local = assertThrows(ConfigException.class, () -> AwsTestSupport.uplink("b",
                    map("profile", "aws-iot", "aws.thing.name", THING, "shadow.topics", "aws"), dir, store));
            assertEquals("shadow.topics", local.key());
            ConfigException direction = assertThrows(ConfigException.class, () -> AwsTestSupport.uplink("c",
                    map("profile", "aws-iot", "aws.thing.name", THING, "aws.sync.direction", "up"), dir, store));
            assertEquals("aws.sync.direction", direction.key());
            ConfigException shadows = assertThrows(ConfigException.class, () -> AwsTestSupport.uplink("d",
                    map("profile", "aws-iot", "aws.thing.name", THING, "aws.shadows", "press01:re cipe"), dir, store));
            assertEquals("aws.shadows", shadows.key());
            assertEquals(THING, TestSupport.settings("e", map("profile", "aws-iot", "aws.thing.name", THING)).clientId);
            assertEquals("x", TestSupport.settings("f", map("profile", "aws-iot", "aws.thing.name", THING,
                    "client.id", "x")).clientId);

            // what the component does with a configuration
            try (Profile aws = Profiles.create(context(map("profile", "aws-iot", "aws.thing.name", THING,
                    "aws.shadows", THING + "," + THING + ":recipe")));
                    Profile served = Profiles.create(context(map("shadow.topics", "aws")))) {
                assertTrue(((PlainProfile) aws).shadowSession() instanceof org.fogwerk.uplink.mqtt.internal.aws.CloudShadowSync);
                assertTrue(!aws.commands(), "aws-iot takes desired state through the shadow, not command.topic");
                assertTrue(((PlainProfile) served).shadowSession() instanceof org.fogwerk.uplink.mqtt.internal.aws.LocalShadowService);
            }
            ConfigException kind = assertThrows(ConfigException.class,
                    () -> Profiles.create(context(map("shadow.topics", "azure"))));
            assertEquals("shadow.topics", kind.key());
        } finally {
            store.close();
        }
    }

    private ProfileContext context(Map<String, Object> values) throws ConfigException {
        MqttUplinkConfig config = TestSupport.config(values);
        return new ProfileContext(UplinkSettings.of(config, "ctx", "node1"), config, null, dir.resolve("ctx"),
                () -> null, () -> null, () -> null, () -> null, () -> null, TestSupport.THING_IS_CONNECTION);
    }
}
