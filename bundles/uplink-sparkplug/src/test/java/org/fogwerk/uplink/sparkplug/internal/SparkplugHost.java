package org.fogwerk.uplink.sparkplug.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.eclipse.tahu.model.MetricDataTypeMap;
import org.fogwerk.uplink.mqtt.internal.TestClients;

/**
 * A Sparkplug host application for the tests: subscribes to a group, decodes every message with
 * Tahu's decoder (datatypes of aliases from the births, as a host does) and sends commands
 * built with Tahu's encoder.
 */
final class SparkplugHost implements AutoCloseable {

    /** One message as the host saw it. */
    record Received(String topic, String verb, String node, String device, SparkplugBPayload payload) {

        Metric metric(String name) {
            return payload.getMetrics().stream().filter(m -> name.equals(m.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no metric " + name + " in " + topic + ": " + payload));
        }

        long seq() {
            return payload.getSeq();
        }
    }

    final String group;
    private final MqttClient client;
    private final MetricDataTypeMap types;
    private final List<Received> received = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    SparkplugHost(String url, String group) throws MqttException {
        this(url, group, "sp-host-" + UUID.randomUUID(), true, null);
    }

    /**
     * With {@code cleanSession} false the broker keeps the QoS 1 data for the host while it is
     * away; {@code earlier} is the host of the same client id before, whose births it knows.
     */
    SparkplugHost(String url, String group, String clientId, boolean cleanSession, SparkplugHost earlier)
            throws MqttException {
        this.group = group;
        this.types = earlier == null ? new MetricDataTypeMap() : earlier.types;
        client = TestClients.connect(url, clientId, cleanSession,
                (topic, message) -> record(topic, message.getPayload()), cause -> { });
        client.subscribe("spBv1.0/" + group + "/#", cleanSession ? 0 : 1);
    }

    private synchronized void record(String topic, byte[] bytes) {
        String[] parts = topic.split("/");
        String verb = parts[2];
        if (verb.endsWith("CMD")) {
            return; // commands are what hosts send
        }
        try {
            SparkplugBPayload p = new SparkplugBPayloadDecoder().buildFromByteArray(bytes, types);
            if (verb.endsWith("BIRTH")) {
                for (Metric m : p.getMetrics()) {
                    if (m.getAlias() != null) {
                        types.addMetricDataType(m.getAlias(), m.getDataType());
                    }
                }
            }
            received.add(new Received(topic, verb, parts[3], parts.length > 4 ? parts[4] : null, p));
        } catch (Exception e) {
            errors.add(topic + ": " + e);
        }
    }

    synchronized List<Received> all() {
        if (!errors.isEmpty()) {
            throw new AssertionError("undecodable messages: " + errors);
        }
        return new ArrayList<>(received);
    }

    List<Received> verb(String verb) {
        return all().stream().filter(r -> r.verb().equals(verb)).toList();
    }

    /** Waits for the first message after {@code from} (an index into {@link #all}) that matches. */
    Received await(int from, Predicate<Received> what) {
        Received[] found = new Received[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Received> now = all();
            for (int i = from; i < now.size(); i++) {
                if (what.test(now.get(i))) {
                    found[0] = now.get(i);
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    Received await(Predicate<Received> what) {
        return await(0, what);
    }

    synchronized int size() {
        return received.size();
    }

    void rebirth(String node) throws Exception {
        command("NCMD/" + node, new Metric.MetricBuilder(SparkplugProfile.REBIRTH, MetricDataType.Boolean, true)
                .createMetric());
    }

    void command(String verbAndIds, Metric... metrics) throws Exception {
        publish("spBv1.0/" + group + "/" + verbAndIds, encode(metrics));
    }

    /** A command the broker keeps for every later subscription (against the specification's rule). */
    void commandRetained(String verbAndIds, Metric... metrics) throws Exception {
        client.publish("spBv1.0/" + group + "/" + verbAndIds, encode(metrics), 1, true);
    }

    private static byte[] encode(Metric... metrics) throws Exception {
        SparkplugBPayload p = new SparkplugBPayload.SparkplugBPayloadBuilder().setTimestamp(new Date())
                .addMetrics(List.of(metrics)).createPayload();
        return new SparkplugBPayloadEncoder().getBytes(p, false);
    }

    void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    void publishRetained(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close(true);
    }
}
