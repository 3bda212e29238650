package org.fogwerk.uplink.mqtt.internal;

import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.support.shadow.ShadowRequests;
import org.fogwerk.support.shadow.ShadowText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The command topic: shadow update documents arrive per thing, go through the write gateway on
 * a thread of their own, and each gets an answer (the accepted document or an error) on the
 * reply topic.
 */
final class CommandTopic {

    /** Logs as the uplink, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final UplinkSettings s;
    private final Supplier<WriteGateway> gateway;
    private final MqttAsyncClient client;
    private final ShadowRequests commands;

    CommandTopic(UplinkSettings settings, Supplier<WriteGateway> gateway, MqttAsyncClient client) {
        this.s = settings;
        this.gateway = gateway;
        this.client = client;
        this.commands = new ShadowRequests("fogwerk-uplink-" + s.name + "-commands", 100);
    }

    /** Queues a command that arrived; refuses it at once when too many wait, and records it once there is room. */
    void arrived(String topic, byte[] payload) {
        if (payload.length == 0) {
            // what a client sends to clear a retained command: no command, so no answer and no record
            LOG.debug("Uplink {}: empty message on {} ignored", s.name, topic);
            return;
        }
        String thing = topic.substring(topic.lastIndexOf('/') + 1);
        String full = "too many commands waiting";
        if (!commands.offer(() -> command(topic, payload), topic,
                n -> record(topic, thing, 429, n == 1 ? full : full + "; " + n + " commands alike refused"))) {
            // the caller's token, so a caller with several commands out knows which one this is
            reply(thing, ShadowRequests.error(429, full, payload.length <= s.commandMaxBytes ? tokenOf(payload) : null));
        }
    }

    /** The request's {@code clientToken} when it reads as a JSON object with a text token, else null. */
    private static String tokenOf(byte[] payload) {
        try {
            JsonNode token = MAPPER.readTree(payload).get("clientToken");
            return token != null && token.isTextual() ? token.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * A command the broker kept from an earlier publish and hands out at every subscription: the
     * write gateway refuses it (counted, in the trail), the reply topic says so, and it is never
     * carried out.
     */
    void retained(String topic, byte[] payload) {
        String thing = topic.substring(topic.lastIndexOf('/') + 1);
        LOG.warn("Uplink {}: refused the retained command on {}: {}", s.name, topic, WriteGateway.RETAINED);
        commands.offer(() -> {
            WriteGateway door = gateway.get();
            ShadowException refusal = door == null ? new ShadowException(400, WriteGateway.RETAINED, null)
                    : door.refuseRetained(Caller.of(Source.MQTT_COMMAND, "uplink " + s.name + ", topic " + topic
                            + " (retained)"), thing, ShadowStore.CLASSIC, payload);
            reply(thing, ShadowRequests.error(refusal.code(), refusal.getMessage(), refusal.clientToken()));
        });
    }

    void close() {
        commands.close();
    }

    private void command(String topic, byte[] payload) {
        String thing = topic.substring(topic.lastIndexOf('/') + 1);
        String clientToken = null;
        try {
            if (payload.length > s.commandMaxBytes) {
                refuseUnread(topic, thing, 413, "the payload has " + payload.length + " bytes, more than "
                        + s.commandMaxBytes);
                return;
            }
            JsonNode doc;
            try {
                doc = MAPPER.readTree(ShadowText.utf8(payload));
            } catch (ShadowException e) {
                refuseUnread(topic, thing, 400, "the payload is not UTF-8");
                return;
            } catch (Exception e) {
                refuseUnread(topic, thing, 400, "the payload is not valid JSON");
                return;
            }
            if (doc == null || !doc.isObject()) {
                refuseUnread(topic, thing, 400, "the payload must be a JSON object (a shadow update document)");
                return;
            }
            JsonNode token = doc.get("clientToken");
            clientToken = token != null && token.isTextual() ? token.asText() : null;
            WriteGateway door = gateway.get();
            if (door == null) {
                reply(thing, ShadowRequests.error(503, "the write gateway is not available (it needs the shadow store and the audit "
                        + "trail)", clientToken));
                return;
            }
            Caller caller = Caller.of(Source.MQTT_COMMAND, "uplink " + s.name + ", topic " + topic
                    + (clientToken == null ? "" : ", clientToken " + clientToken));
            byte[] accepted = door.updateShadow(caller, thing, ShadowStore.CLASSIC, payload);
            reply(thing, accepted);
        } catch (ShadowException e) {
            reply(thing, ShadowRequests.error(e.code(), e.getMessage(), e.clientToken() != null ? e.clientToken() : clientToken));
        } catch (RuntimeException e) {
            LOG.warn("Uplink {}: command for {} failed: {}", s.name, thing, e.toString());
            reply(thing, ShadowRequests.error(500, "internal error: " + e.getMessage(), clientToken));
        }
    }

    /** Answers a command that could not be read; the write gateway records and counts it as refused. */
    private void refuseUnread(String topic, String thing, int code, String why) {
        reply(thing, ShadowRequests.error(code, why, null));
        record(topic, thing, code, why);
    }

    /** Records and counts a refused command in the write gateway. */
    private void record(String topic, String thing, int code, String why) {
        WriteGateway door = gateway.get();
        if (door != null && door.owns(thing)) {
            door.refused(Caller.of(Source.MQTT_COMMAND, "uplink " + s.name + ", topic " + topic), AuditEvent.KIND_DESIRED,
                    thing, ShadowStore.CLASSIC, code, why);
        }
    }

    private void reply(String thing, byte[] payload) {
        String topic = s.replyTopic.render(s.node, null, thing, null);
        if (ValueBatcher.packetSize(Outbox.record(topic, payload, 0)) > s.maxPacketBytes) {
            // the broker would close the connection on it: say so instead
            payload = ShadowRequests.error(413, "the answer has " + payload.length + " bytes, more than the broker takes"
                    + " (max.packet.bytes " + s.maxPacketBytes + ")", null);
        }
        try {
            client.publish(topic, payload, 1, false);
        } catch (MqttException | RuntimeException e) {
            LOG.warn("Uplink {}: cannot publish the reply to {}: {}", s.name, topic, e.getMessage());
        }
    }
}
