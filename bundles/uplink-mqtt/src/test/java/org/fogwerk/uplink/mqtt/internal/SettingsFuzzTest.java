package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.util.converter.Converters;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Uplink files as integrators mistype them: any mix of the uplink's keys with good, wrong and
 * garbage values gives working settings or one {@link InvalidConfigurationException} naming a key of the file
 * and the reason, never another exception. Tries: {@code jqwik.tries.default}.
 */
class SettingsFuzzTest {

    /** The keys of the metatype, as written in a file ({@code broker_urls} is {@code broker.urls}). */
    static final Set<String> KEYS = Arrays.stream(MqttUplinkConfig.class.getDeclaredMethods()).map(Method::getName)
            .map(UplinkSettings::keyOf).collect(Collectors.toSet());

    @Provide
    Arbitrary<Map<String, Object>> file() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.of("tcp://127.0.0.1:1883", "ssl://broker:8883", "tcp://x", "http://x:1883", "tcp://:1",
                        "tcp://h:99999", "plain", "aws-iot", "sparkplug", "json", "json-batch", "drop-oldest",
                        "refuse", "fogwerk/{node}/{thing}/{tag}", "a/{plant}", "a/#", "+", "*", "press*,!x", "", " ",
                        "0", "1", "2", "-1", "65536", "2147483648", "9223372036854775807", "1e3", "true", "no",
                        "/nope/ca.pem", "/tmp/\u0000ca.pem", "both", "cloud-to-node", "ops,!x", "line#2", "{node}", "a,,b"),
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.longs().map(l -> (Object) l));
        // most files name a broker, so that the checks after broker.urls are reached too
        return Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(KEYS.toArray(new String[0])),
                Arbitraries.strings().ofMaxLength(12)), values).ofMaxSize(6).map(m -> {
                    Map<String, Object> file = new java.util.HashMap<>(m);
                    if (m.hashCode() % 5 != 0) {
                        file.putIfAbsent("broker.urls", "tcp://127.0.0.1:1883");
                    }
                    return file;
                });
    }

    @Property
    void anyFileGivesSettingsOrAnErrorNamingAKey(@ForAll("file") Map<String, Object> file) {
        try {
            MqttUplinkConfig config = Converters.standardConverter().convert(file).to(MqttUplinkConfig.class);
            UplinkSettings.of(config, "fuzz", "node1");
        } catch (InvalidConfigurationException e) {
            assertTrue(KEYS.contains(e.key()), "the key of " + e.getMessage() + " is not one of the file's keys");
            assertFalse(e.getMessage().strip().endsWith(":"), "a reason: " + e.getMessage());
        } catch (RuntimeException e) {
            fail("crash on " + file, e);
        }
    }
}
