package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.map;
import static org.fogwerk.uplink.mqtt.internal.TestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void aValueNotOfItsKeysTypeNamesTheKeyAndTheValue() {
        assertBad("keepalive", "'soon' is not a whole number", map("keepalive", "soon"));
        assertEquals(".password", UplinkSettings.keyOf("_password"));
        assertEquals("broker.urls", UplinkSettings.keyOf("broker_urls"));
    }

    @Test
    void defaults() throws Exception {
        UplinkSettings s = settings("local", map());
        assertEquals("fogwerk-node1-local", s.clientId);
        assertEquals(1, s.qos);
        assertEquals("fogwerk/node1/press01/speed", s.topic.render("node1", "opc", "press01", "speed"));
        assertEquals("fogwerk/node1/command/+", s.commandTopic);
        assertEquals("fogwerk/node1/reply/press01", s.replyTopic.render("node1", null, "press01", null));
        assertEquals(UplinkSettings.FullPolicy.DROP_OLDEST, s.fullPolicy);
    }

    @Test
    void placeholderValuesNeverBecomeWildcards() throws Exception {
        UplinkSettings s = settings("x", map("topic.template", "a/{connection}/{tag}"));
        assertEquals("a/c_/t_x", s.topic.render("n", "c+", "t", "t#x").replace("/t/", "/"));
    }

    @Test
    void badKeysNameTheKeyAndTheReason() {
        assertBad("topic.template", "unknown placeholder {machine}", map("topic.template", "f/{machine}/{tag}"));
        assertBad("topic.template", "'+' is not allowed", map("topic.template", "f/+/{tag}"));
        assertBad("topic.template", "'#' is not allowed", map("topic.template", "f/#"));
        assertBad("topic.template", "unclosed", map("topic.template", "f/{tag"));
        assertBad("broker.urls", "scheme must be tcp:// or ssl://", map("broker.urls", "http://x:1883"));
        assertBad("broker.urls", "needs a port", map("broker.urls", "tcp://x"));
        assertBad("qos", "not supported", map("qos", 2));
        assertBad("payload", "not json or json-batch", map("payload", "xml"));
        assertBad("outbox.full.policy", "not drop-oldest or refuse", map("outbox.full.policy", "block"));
        assertBad("command.topic", "last level must be '+'", map("command.topic", "fogwerk/{node}/command"));
        assertBad("reply.topic", "unknown placeholder {tag}", map("reply.topic", "r/{tag}"));
        assertBad("tls.ca.file", "does not exist", map("broker.urls", "ssl://x:8883", "tls.ca.file", "/nope/ca.pem"));
        assertBad("reconnect.max.ms", "below", map("reconnect.min.ms", 1000, "reconnect.max.ms", 10));
    }

    @Test
    void badTlsMaterialIsAConfigError() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> TlsContexts.socketFactory(
                settings("t", map("broker.urls", "ssl://127.0.0.1:8883", "tls.ca.file", ca.toString()))));
        assertEquals("tls.ca.file", e.key());
        assertTrue(e.getMessage().contains(ca.toString()), e.getMessage());
    }

    @Test
    void nameComesFromTheFileName() {
        assertEquals("local", MqttUplinkComponent.name(TestSupport.config(map()),
                map("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-local.cfg")));
        assertEquals("cloud", MqttUplinkComponent.name(TestSupport.config(map("name", "cloud")), map()));
    }

    private static void assertBad(String key, String reason, Map<String, Object> values) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> settings("x", values), key);
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
