package org.fogwerk.uplink.aws.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
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
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.uplink.mqtt.internal.EngineContext;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.MqttUplinkConfig;
import org.fogwerk.uplink.mqtt.internal.TestSupport;
import org.fogwerk.uplink.mqtt.internal.TlsTest;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;
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

    /** The test CA of the engine's TLS tests, plus the key forms AWS IoT and others hand out. */
    @BeforeEach
    void makeCertificates() throws Exception {
        pki = TlsTest.awsCertificates(dir);
    }

    private Map<String, Object> device(int tlsPort, String key) {
        return TlsTest.awsDevice(pki, THING, tlsPort, key);
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
    void awsIotNeedsTheThingNameAndNeverServesLocalShadowTopics() throws Exception {
        ShadowStoreImpl store = ShadowStores.open(dir.resolve("store"));
        try {
            InvalidConfigurationException noThing = assertThrows(InvalidConfigurationException.class, () -> AwsTestSupport.uplink("a",
                    map("profile", "aws-iot"), dir, store));
            assertEquals("aws.thing.name", noThing.key());
            InvalidConfigurationException local = assertThrows(InvalidConfigurationException.class, () -> AwsTestSupport.uplink("b",
                    map("profile", "aws-iot", "aws.thing.name", THING, "shadow.topics", "aws"), dir, store));
            assertEquals("shadow.topics", local.key());
            InvalidConfigurationException direction = assertThrows(InvalidConfigurationException.class, () -> AwsTestSupport.uplink("c",
                    map("profile", "aws-iot", "aws.thing.name", THING, "aws.sync.direction", "up"), dir, store));
            assertEquals("aws.sync.direction", direction.key());
            InvalidConfigurationException shadows = assertThrows(InvalidConfigurationException.class, () -> AwsTestSupport.uplink("d",
                    map("profile", "aws-iot", "aws.thing.name", THING, "aws.shadows", "press01:re cipe"), dir, store));
            assertEquals("aws.shadows", shadows.key());
            assertEquals(THING, TestSupport.settings("e", map("profile", "aws-iot", "aws.thing.name", THING)).clientId());
            assertEquals("x", TestSupport.settings("f", map("profile", "aws-iot", "aws.thing.name", THING,
                    "client.id", "x")).clientId());

            // what the profiles make of a configuration
            try (ProfileSession aws = new AwsIotProfile().open(context(map("profile", "aws-iot", "aws.thing.name",
                    THING, "aws.shadows", THING + "," + THING + ":recipe")));
                    ProfileSession served = new ShadowTopicsProfile().open(context(map("shadow.topics", "aws")))) {
                assertTrue(aws instanceof CloudShadowSync);
                assertTrue(!aws.commands(), "aws-iot takes desired state through the shadow, not command.topic");
                assertTrue(served instanceof LocalShadowService);
            }
        } finally {
            store.close();
        }
    }

    private EngineContext context(Map<String, Object> values) throws InvalidConfigurationException {
        MqttUplinkConfig config = TestSupport.config(values);
        return new EngineContext(UplinkSettings.of(config, "ctx", "node1"), config, dir.resolve("ctx"), l -> () -> { },
                () -> null, () -> null, () -> null, () -> null, () -> null, TestSupport.THING_IS_CONNECTION);
    }
}
